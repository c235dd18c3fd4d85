/// A LIKE pattern compiled once: `%` matches any run of characters, `_` exactly one character
/// (Unicode scalar), `\` escapes the next character, case-sensitive, over UTF-8 bytes.
///
/// The pattern splits at `%` into segments of fixed length in scalars; the first is anchored at
/// the start, the last at the end, and each middle one is placed at its leftmost match, which is
/// optimal for such patterns, so matching never backtracks.
struct LikePattern {
    enum Piece: Equatable {
        case literal([UInt8])
        case anyScalar
    }

    /// A run of pieces between two `%`.
    struct Segment {
        var pieces: [Piece] = []
        var scalarCount = 0
    }

    let segments: [Segment]

    init(_ pattern: String) {
        var segments = [Segment()]
        var literal: [UInt8] = []
        func flush() {
            guard !literal.isEmpty else { return }
            segments[segments.count - 1].pieces.append(.literal(literal))
            segments[segments.count - 1].scalarCount += String(decoding: literal, as: UTF8.self).unicodeScalars.count
            literal = []
        }
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                literal.append(contentsOf: String(scalar).utf8)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "%" {
                flush()
                segments.append(Segment())
            } else if scalar == "_" {
                flush()
                segments[segments.count - 1].pieces.append(.anyScalar)
                segments[segments.count - 1].scalarCount += 1
            } else {
                literal.append(contentsOf: String(scalar).utf8)
            }
        }
        if escaped { literal.append(UInt8(ascii: "\\")) }
        flush()
        self.segments = segments
    }

    /// `column LIKE pattern` (or NOT LIKE) per row; NULL rows stay NULL.
    func matches(_ column: Column, negated: Bool) -> Column {
        var values = [Bool](repeating: false, count: column.count)
        column.strings.bytes.withUnsafeBytes { all in
            for row in 0..<column.count where !column.isNull(row) {
                let text = UnsafeRawBufferPointer(rebasing: all[column.strings.range(at: row)])
                values[row] = matches(text) != negated
            }
        }
        return Column.bools(values, nulls: column.nulls)
    }

    /// Whether all of `text` matches.
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = segments.first, let firstEnd = match(first, in: text, at: 0) else { return false }
        if segments.count == 1 { return firstEnd == text.count }
        let last = segments[segments.count - 1]
        guard let lastStart = back(from: text.count, scalars: last.scalarCount, in: text), lastStart >= firstEnd,
            match(last, in: text, at: lastStart) == text.count
        else { return false }
        var cursor = firstEnd
        for segment in segments.dropFirst().dropLast() {
            guard let end = leftmost(segment, in: text, from: cursor, before: lastStart) else { return false }
            cursor = end
        }
        return true
    }

    /// Where `segment` ends when it matches at byte `start`, or nil.
    private func match(_ segment: Segment, in text: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var position = start
        for piece in segment.pieces {
            switch piece {
            case .literal(let bytes):
                guard position + bytes.count <= text.count else { return nil }
                for (offset, byte) in bytes.enumerated() where text[position + offset] != byte { return nil }
                position += bytes.count
            case .anyScalar:
                guard position < text.count else { return nil }
                position += 1
                while position < text.count && text[position] & 0xC0 == 0x80 { position += 1 }
            }
        }
        return position
    }

    /// The end of the leftmost match of `segment` starting at or after `from` and ending by `limit`.
    private func leftmost(_ segment: Segment, in text: UnsafeRawBufferPointer, from: Int, before limit: Int) -> Int? {
        var start = from
        while start <= limit {
            // A later start ends later (the segment's length is fixed in scalars), so the first match decides.
            if let end = match(segment, in: text, at: start) { return end <= limit ? end : nil }
            start += 1
            while start < text.count && text[start] & 0xC0 == 0x80 { start += 1 }
        }
        return nil
    }

    /// The byte position `scalars` Unicode scalars before `end`, or nil if the text is shorter.
    private func back(from end: Int, scalars: Int, in text: UnsafeRawBufferPointer) -> Int? {
        var position = end
        for _ in 0..<scalars {
            guard position > 0 else { return nil }
            position -= 1
            while position > 0 && text[position] & 0xC0 == 0x80 { position -= 1 }
        }
        return position
    }
}

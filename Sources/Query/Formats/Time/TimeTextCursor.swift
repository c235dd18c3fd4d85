/// A cursor over the bytes of a timestamp's text that reads fixed-width digit fields and
/// single punctuation bytes, throwing with the byte offset where the text stops fitting.
struct TimeTextCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool {
        @inline(__always) get { position >= bytes.count }
    }

    /// The byte under the cursor, or nil at the end.
    @inline(__always)
    func peek() -> UInt8? { position < bytes.count ? bytes.load(fromByteOffset: position, as: UInt8.self) : nil }

    /// Reads exactly `count` ASCII digits as a number.
    @inline(__always)
    mutating func digits(_ count: Int) throws(TimestampParseError) -> Int64 {
        guard bytes.count - position >= count else { throw .expectedDigit(at: bytes.count) }
        var value: Int64 = 0
        for _ in 0..<count {
            let digit = bytes.load(fromByteOffset: position, as: UInt8.self) &- UInt8(ascii: "0")
            guard digit < 10 else { throw .expectedDigit(at: position) }
            value = value &* 10 &+ Int64(digit)
            position += 1
        }
        return value
    }

    /// Consumes `byte` or throws.
    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(TimestampParseError) {
        guard position < bytes.count, bytes.load(fromByteOffset: position, as: UInt8.self) == byte else {
            throw .expectedCharacter(byte, at: position)
        }
        position += 1
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes.load(fromByteOffset: position, as: UInt8.self) == byte else { return false }
        position += 1
        return true
    }

    /// Throws `.outOfRange` unless `value` lies in `range`.
    @inline(__always)
    static func check(_ value: Int64, _ range: ClosedRange<Int64>, _ field: TimestampField) throws(TimestampParseError)
    {
        guard range.contains(value) else { throw .outOfRange(field: field, value: value) }
    }
}

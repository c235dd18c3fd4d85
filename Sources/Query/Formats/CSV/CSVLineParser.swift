/// One field of a CSV record: its bytes (without surrounding quotes) as offsets into the record.
struct CSVField {
    var start: Int
    var end: Int
    /// The field was written in quotes (so an empty one is an empty string, not NULL).
    var quoted: Bool
    /// The field holds doubled quotes `""`, to undouble before use.
    var hasDoubledQuotes: Bool

    static let empty = CSVField(start: 0, end: 0, quoted: false, hasDoubledQuotes: false)
}

/// Why a record is not one RFC 4180 CSV line of the expected width.
struct CSVSyntaxError: Error {
    let detail: String
}

/// Splits one CSV record (RFC 4180): fields separated by the delimiter, a field in double quotes
/// may hold delimiters, line breaks and doubled quotes; a quote inside an unquoted field, text
/// after a closing quote, an unterminated quote or a line break outside quotes is malformed.
enum CSVLineParser {
    /// Splits `line` into `fields` (exactly `fields.count` of them, or it throws).
    static func split(
        _ line: UnsafeRawBufferPointer, delimiter: UInt8, into fields: UnsafeMutableBufferPointer<CSVField>
    ) throws(CSVSyntaxError) {
        var position = 0
        var count = 0
        while true {
            var field = CSVField.empty
            if position < line.count && line[position] == UInt8(ascii: "\"") {
                position = try quotedField(line, from: position, delimiter: delimiter, into: &field)
            } else {
                position = try plainField(line, from: position, delimiter: delimiter, into: &field)
            }
            if count < fields.count { fields[count] = field }
            count += 1
            guard position < line.count else { break }
            position += 1  // the delimiter
        }
        guard count == fields.count else {
            throw CSVSyntaxError(detail: "expected \(fields.count) fields, found \(count)")
        }
    }

    /// An unquoted field from `start`; returns where it ends (at a delimiter or the end).
    static func plainField(
        _ line: UnsafeRawBufferPointer, from start: Int, delimiter: UInt8, into field: inout CSVField
    ) throws(CSVSyntaxError) -> Int {
        var position = start
        while position < line.count {
            let byte = line[position]
            if byte == delimiter { break }
            if byte == UInt8(ascii: "\"") {
                throw CSVSyntaxError(detail: "quote inside an unquoted field at byte \(position)")
            }
            if byte == 0x0A || byte == 0x0D {
                throw CSVSyntaxError(detail: "line break outside quotes at byte \(position)")
            }
            position += 1
        }
        field = CSVField(start: start, end: position, quoted: false, hasDoubledQuotes: false)
        return position
    }

    /// A quoted field whose opening quote is at `start`; returns the position after its closing quote.
    static func quotedField(
        _ line: UnsafeRawBufferPointer, from start: Int, delimiter: UInt8, into field: inout CSVField
    ) throws(CSVSyntaxError) -> Int {
        var position = start + 1
        var doubled = false
        while true {
            while position < line.count && line[position] != UInt8(ascii: "\"") { position += 1 }
            guard position < line.count else {
                throw CSVSyntaxError(detail: "unterminated quoted field starting at byte \(start)")
            }
            if position + 1 < line.count && line[position + 1] == UInt8(ascii: "\"") {
                doubled = true
                position += 2
                continue
            }
            break
        }
        field = CSVField(start: start + 1, end: position, quoted: true, hasDoubledQuotes: doubled)
        position += 1
        guard position == line.count || line[position] == delimiter else {
            throw CSVSyntaxError(detail: "expected a delimiter after the closing quote at byte \(position)")
        }
        return position
    }

    /// Appends a quoted field's text with doubled quotes made single.
    static func appendUndoubled(_ text: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var index = 0
        while index < text.count {
            output.append(text[index])
            index += text[index] == UInt8(ascii: "\"") ? 2 : 1
        }
    }
}

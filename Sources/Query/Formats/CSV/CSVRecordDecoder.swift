/// Decodes CSV records, one line each, columns by declared position. Decisions:
/// - One trailing line break (`\n` or `\r\n`) is ignored, so lines produced from a file keep working.
/// - An empty unquoted field is NULL; an empty quoted field `""` is the empty string in a STRING
///   column and NULL in any other (as Spark's default `nullValue` and `emptyValue` do).
/// - With `hasHeader`, every record whose fields are exactly the declared column names (in order,
///   ASCII case-insensitively) is skipped: neither a row nor a dead letter. A topic has no "first
///   line": each producer that tails a file sends the header again, and retention may delete offset 0.
struct CSVRecordDecoder: Sendable {
    let plan: DecodePlan
    let delimiter: UInt8
    let hasHeader: Bool
    let fieldCount: Int
    /// The column names, ASCII-lowercased, for header detection.
    let foldedNames: [[UInt8]]

    init(plan: DecodePlan, schema: Schema, delimiter: UInt8, hasHeader: Bool) {
        precondition(RecordDecoder.csvDelimiterProblem(delimiter) == nil, "invalid CSV delimiter \(delimiter)")
        self.plan = plan
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        fieldCount = schema.count
        foldedNames = schema.fields.map { $0.name.utf8.map(ASCII.lowercased) }
    }

    func decode(_ records: SourceRecords, into builder: inout RowBuilder) {
        let fields = UnsafeMutableBufferPointer<CSVField>.allocate(capacity: max(fieldCount, 1))
        defer { fields.deallocate() }
        var scratch: [UInt8] = []
        for index in 0..<records.count {
            guard var line = builder.value(index, of: records) else { continue }
            guard UTF8Validation.isValid(line) else {
                builder.reject(index, of: records, .invalidUTF8)
                continue
            }
            line = Self.withoutLineBreak(line)
            do {
                try CSVLineParser.split(
                    line, delimiter: delimiter, into: UnsafeMutableBufferPointer(rebasing: fields[0..<fieldCount]))
            } catch {
                builder.reject(index, of: records, .malformed(error.detail))
                continue
            }
            if hasHeader && isHeader(line, fields, scratch: &scratch) { continue }
            let converter = CSVFieldConverter(
                types: plan.types, schemaIndexes: plan.schemaIndexes, fields: fields, line: line,
                lineStart: records.valueStarts[index])
            plan.checkOrder.withUnsafeBufferPointer { order in
                converter.finish(record: index, of: records, order: order, into: &builder)
            }
        }
    }

    static func withoutLineBreak(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var count = line.count
        if count > 0 && line[count - 1] == 0x0A {
            count -= 1
            if count > 0 && line[count - 1] == 0x0D { count -= 1 }
        }
        return UnsafeRawBufferPointer(rebasing: line[0..<count])
    }

    /// True when the fields are the column names.
    func isHeader(
        _ line: UnsafeRawBufferPointer, _ fields: UnsafeMutableBufferPointer<CSVField>, scratch: inout [UInt8]
    )
        -> Bool
    {
        for column in 0..<fieldCount {
            let field = fields[column]
            let text = UnsafeRawBufferPointer(rebasing: line[field.start..<field.end])
            if field.hasDoubledQuotes {
                scratch.removeAll(keepingCapacity: true)
                CSVLineParser.appendUndoubled(text, to: &scratch)
                if !scratch.withUnsafeBytes({ Self.foldedEqual($0, foldedNames[column]) }) { return false }
            } else if !Self.foldedEqual(text, foldedNames[column]) {
                return false
            }
        }
        return true
    }

    static func foldedEqual(_ text: UnsafeRawBufferPointer, _ folded: [UInt8]) -> Bool {
        guard text.count == folded.count else { return false }
        for index in 0..<text.count where ASCII.lowercased(text[index]) != folded[index] { return false }
        return true
    }
}

extension RecordDecoder {
    /// Why `delimiter` cannot separate CSV fields (a quote, a line break or a non-ASCII byte), or nil.
    public static func csvDelimiterProblem(_ delimiter: UInt8) -> String? {
        switch delimiter {
        case UInt8(ascii: "\""): "the delimiter cannot be a double quote"
        case 0x0A, 0x0D: "the delimiter cannot be a line break"
        case 0x80...: "the delimiter must be one ASCII character"
        default: nil
        }
    }
}

/// Converts CSV fields to column values.
struct CSVFieldConverter: CellConverter {
    let types: [DataType]
    let schemaIndexes: [Int]
    let fields: UnsafeMutableBufferPointer<CSVField>
    let line: UnsafeRawBufferPointer
    let lineStart: Int

    func convert(_ slot: Int, scratch: inout [UInt8]) throws(ConversionFailure) -> DecodedCell {
        let field = fields[schemaIndexes[slot]]
        let type = types[slot]
        if field.start == field.end && (!field.quoted || type != .string) { return .null }
        let text = UnsafeRawBufferPointer(rebasing: line[field.start..<field.end])
        guard field.hasDoubledQuotes else {
            if type == .string { return .source(start: lineStart + field.start, count: text.count) }
            return try TextConversion.value(text, type: type)
        }
        let start = scratch.count
        CSVLineParser.appendUndoubled(text, to: &scratch)
        if type == .string { return .scratch(start: start, count: scratch.count - start) }
        defer { scratch.removeSubrange(start...) }
        return try TextConversion.value(scratch, from: start, type: type)
    }
}

/// Decodes combined-log lines; columns are matched to fields by name (`CombinedLogField`), and a
/// column whose name is not a field is always NULL. `ts` in a TIMESTAMP column parses the `%t`
/// form; in a STRING column it keeps the text between the brackets.
struct CombinedLogRecordDecoder: Sendable {
    let plan: DecodePlan
    let slotFields: [CombinedLogField?]

    init(plan: DecodePlan) {
        self.plan = plan
        slotFields = plan.names.map { CombinedLogField(columnName: $0) }
    }

    func decode(_ records: SourceRecords, into builder: inout RowBuilder) {
        var fields = CombinedLogFields()
        for index in 0..<records.count {
            guard let line = builder.value(index, of: records) else { continue }
            guard UTF8Validation.isValid(line) else {
                builder.reject(index, of: records, .invalidUTF8)
                continue
            }
            var parser = CombinedLogParser(line)
            do {
                try parser.parse(into: &fields)
            } catch {
                builder.reject(index, of: records, .malformed(error.detail))
                continue
            }
            let converter = CombinedLogFieldConverter(
                types: plan.types, slotFields: slotFields, fields: fields, line: line,
                lineStart: records.valueStarts[index])
            plan.checkOrder.withUnsafeBufferPointer { order in
                converter.finish(record: index, of: records, order: order, into: &builder)
            }
        }
    }
}

/// Converts the fields of one parsed line to column values.
struct CombinedLogFieldConverter: CellConverter {
    let types: [DataType]
    let slotFields: [CombinedLogField?]
    let fields: CombinedLogFields
    let line: UnsafeRawBufferPointer
    let lineStart: Int

    func convert(_ slot: Int, scratch: inout [UInt8]) throws(ConversionFailure) -> DecodedCell {
        guard let field = slotFields[slot], fields.present[field.rawValue] else { return .null }
        let start = fields.starts[field.rawValue]
        let end = fields.ends[field.rawValue]
        let text = UnsafeRawBufferPointer(rebasing: line[start..<end])
        if field.dashIsNull && text.count == 1 && text[0] == UInt8(ascii: "-") { return .null }
        let type = types[slot]
        if field == .ts && type == .timestamp {
            do {
                return .int64(try TimestampCodec.parseCombinedLog(text))
            } catch {
                throw .timestamp(error)
            }
        }
        guard fields.escaped[field.rawValue] else {
            if type == .string { return .source(start: lineStart + start, count: text.count) }
            return try TextConversion.value(text, type: type)
        }
        let scratchStart = scratch.count
        CombinedLogParser.appendUnescaped(text, to: &scratch)
        if type == .string { return .scratch(start: scratchStart, count: scratch.count - scratchStart) }
        defer { scratch.removeSubrange(scratchStart...) }
        return try TextConversion.value(scratch, from: scratchStart, type: type)
    }
}

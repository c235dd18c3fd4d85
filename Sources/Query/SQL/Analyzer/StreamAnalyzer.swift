/// Checks a `CREATE STREAM` and turns it into a `SourceSpec`.
enum StreamAnalyzer {
    static let validOptions = [
        "topic", "format", "event_time", "watermark", "starting_offsets", "max_records_per_batch", "delimiter",
        "header",
    ]
    /// The fields a combined-log line has, which its columns must be named after.
    static let combinedLogFields = [
        "ip", "ident", "user", "ts", "method", "url", "protocol", "status", "bytes", "referrer", "user_agent",
    ]
    /// Records per batch beyond this are refused (a limit on everything).
    static let recordsPerBatchMax = 100_000_000

    /// The source, and the stream's cap on records per batch.
    static func analyze(_ stream: CreateStream) throws(SQLError) -> (SourceSpec, maxRecordsPerBatch: Int?) {
        let schema = try schema(of: stream)
        let options = try OptionList(stream.options, valid: validOptions, owner: "CREATE STREAM \(stream.name.text)")
        let topic = try options.required("topic", purpose: "the topic to read", at: stream.name.position).value
        let format = try sourceFormat(options, schema: schema, stream: stream)
        let eventTime = try eventTimeColumn(options, schema: schema)
        var watermarkMs: Int64?
        if let watermark = options["watermark"] {
            guard eventTime != nil else {
                throw SQLError(
                    "option 'watermark' needs option 'event_time' (the TIMESTAMP column the watermark follows)",
                    at: watermark.keyPosition)
            }
            switch IntervalText.parse(watermark.value) {
            case .success(let ms): watermarkMs = ms
            case .failure(let error): throw SQLError("invalid watermark: \(error.message)", at: watermark.valuePosition)
            }
        }
        let starting = try options.choice("starting_offsets", among: ["earliest", "latest"], default: "earliest")
        let cap = try options.integer("max_records_per_batch", in: 1...recordsPerBatchMax)
        let source = SourceSpec(
            name: stream.name.text, topic: topic, format: format, schema: schema, eventTimeColumn: eventTime,
            watermarkDelayMs: watermarkMs, startingOffsets: StartingOffsets(rawValue: starting) ?? .earliest,
            options: options.dictionary)
        return (source, cap)
    }

    private static func schema(of stream: CreateStream) throws(SQLError) -> Schema {
        var fields: [Field] = []
        for column in stream.columns {
            let lowered = column.name.text.lowercased()
            if fields.contains(where: { $0.name.lowercased() == lowered }) {
                throw SQLError(
                    "column '\(column.name.text)' is declared twice in stream '\(stream.name.text)'",
                    at: column.name.position)
            }
            fields.append(Field(column.name.text, column.type))
        }
        return Schema(fields)
    }

    private static func sourceFormat(_ options: OptionList, schema: Schema, stream: CreateStream) throws(SQLError)
        -> SourceFormat
    {
        let name = try options.choice("format", among: ["json", "csv", "combined_log"], default: "json")
        try options.onlyWhen(name == "csv", "delimiter", condition: "format = 'csv'")
        try options.onlyWhen(name == "csv", "header", condition: "format = 'csv'")
        switch name {
        case "csv":
            var delimiter = UInt8(ascii: ",")
            if let setting = options["delimiter"] {
                let value = setting.value == "\\t" || setting.value.lowercased() == "tab" ? "\t" : setting.value
                guard value.utf8.count == 1, let byte = value.utf8.first, byte != 0x0A, byte != 0x0D, byte != 0x22
                else {
                    throw SQLError(
                        "option 'delimiter' must be one ASCII character other than a quote or a line break (or '\\t'), found '\(setting.value)'",
                        at: setting.valuePosition)
                }
                delimiter = byte
            }
            return .csv(delimiter: delimiter, hasHeader: try options.bool("header") ?? false)
        case "combined_log":
            for column in stream.columns where !combinedLogFields.contains(column.name.text.lowercased()) {
                throw SQLError(
                    "column '\(column.name.text)' is not a field of format 'combined_log'; fields: \(combinedLogFields.joined(separator: ", "))",
                    at: column.name.position)
            }
            return .combinedLog
        default:
            return .json
        }
    }

    private static func eventTimeColumn(_ options: OptionList, schema: Schema) throws(SQLError) -> Int? {
        guard let setting = options["event_time"] else { return nil }
        guard let index = schema.index(of: setting.value) else {
            let hint = Suggestions.hint(setting.value, among: schema.names, label: "columns")
            throw SQLError(
                "event_time column '\(setting.value)' is not a column of the stream\(hint)", at: setting.valuePosition)
        }
        let field = schema.fields[index]
        guard field.type == .timestamp else {
            throw SQLError(
                "event_time column '\(field.name)' is \(field.type), but must be TIMESTAMP", at: setting.valuePosition)
        }
        return index
    }
}

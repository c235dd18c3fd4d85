/// A checked `CREATE SINK`, before the query is known: the topic key is still a column name,
/// because only the query's output says which index it has.
struct SinkDraft {
    var name: String
    var kind: SinkKind
    /// The `key` option of a topic sink, as written.
    var keyColumn: OptionSetting?
    var trigger: Trigger
    /// `output_mode` when given, with where it was written.
    var outputMode: (mode: OutputMode, position: SourcePosition)?
    var shufflePartitions: Int
    var options: [String: String]
}

/// Checks a `CREATE SINK`, including the job options Spark puts on `writeStream`.
enum SinkAnalyzer {
    static let jobOptions = ["type", "trigger", "output_mode", "shuffle_partitions"]
    static let fileOptions = ["path", "format"]
    static let topicOptions = ["topic", "key"]
    /// State is partitioned by this count for the job's life; more would only add empty tasks.
    static let shufflePartitionsMax = 1024

    static func analyze(_ sink: CreateSink) throws(SQLError) -> SinkDraft {
        let owner = "CREATE SINK \(sink.name.text)"
        let all = try OptionList(sink.options, valid: jobOptions + fileOptions + topicOptions, owner: owner)
        let type = try all.required("type", purpose: "console, file or topic", at: sink.name.position)
        let typeName = try all.choice("type", among: ["console", "file", "topic"], default: "console")
        let valid = jobOptions + (typeName == "file" ? fileOptions : typeName == "topic" ? topicOptions : [])
        for setting in sink.options where !valid.contains(setting.key) {
            throw SQLError(
                "option '\(setting.key)' does not apply to a \(typeName) sink; valid options: \(valid.joined(separator: ", "))",
                at: setting.keyPosition)
        }
        var draft = SinkDraft(
            name: sink.name.text, kind: .console, keyColumn: nil, trigger: try trigger(all), outputMode: nil,
            shufflePartitions: try all.integer("shuffle_partitions", in: 1...shufflePartitionsMax) ?? 4,
            options: all.dictionary)
        switch typeName {
        case "file":
            let path = try all.required("path", purpose: "the directory to write", at: type.valuePosition).value
            let format = try all.choice("format", among: ["jsonl", "csv"], default: "jsonl")
            draft.kind = .file(path: path, format: FileFormat(rawValue: format) ?? .jsonl)
        case "topic":
            let topic = try all.required("topic", purpose: "the topic to write", at: type.valuePosition).value
            draft.kind = .topic(topic: topic, keyColumn: nil)
            draft.keyColumn = all["key"]
        default:
            draft.kind = .console
        }
        if let setting = all["output_mode"] {
            let mode = try all.choice("output_mode", among: ["append", "update", "complete"], default: "append")
            draft.outputMode = (OutputMode(rawValue: mode) ?? .append, setting.valuePosition)
        }
        return draft
    }

    /// `'as fast as possible'` or an interval such as `'1 second'` (zero means as fast as possible, as in Spark).
    private static func trigger(_ options: OptionList) throws(SQLError) -> Trigger {
        guard let setting = options["trigger"] else { return .asFastAsPossible }
        let words = setting.value.lowercased().split(separator: " ").joined(separator: " ")
        if words == "as fast as possible" { return .asFastAsPossible }
        switch IntervalText.parse(setting.value) {
        case .success(let ms): return ms == 0 ? .asFastAsPossible : .interval(ms: ms)
        case .failure(let error):
            throw SQLError(
                "invalid trigger: \(error.message); write an interval like '1 second' or 'as fast as possible'",
                at: setting.valuePosition)
        }
    }
}

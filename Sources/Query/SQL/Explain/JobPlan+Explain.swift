extension JobPlan {
    /// The plan's stages as readable text (for `spate submit --explain`): what the map stage
    /// decodes, filters and pre-aggregates, how it shuffles, what the reduce stage emits and where.
    public func explain() -> String {
        var lines = ["Job: \(source.name) -> \(sink.name), output mode \(outputMode.rawValue), trigger \(triggerText)"]
        lines.append("Source: \(sourceText)")
        lines.append("Stage 1 (map, one task per source partition range)")
        let input = inputSchema
        let decoded = decodedColumns.enumerated().map { "\(source.schema.fields[$0.element].name)#\($0.offset)" }
        lines.append(
            row(
                "decode",
                "\(decodedColumns.count) of \(source.schema.count) columns: \(decoded.joined(separator: ", "))"))
        switch body {
        case .stateless(let output):
            if let filter { lines.append(row("filter", filter.explain(in: input))) }
            lines.append(row("project", projection(output, over: input)))
            lines.append(row("write", sinkText))
        case .aggregate(let plan):
            if let eventTimeColumn, source.watermarkDelayMs != nil {
                lines.append(
                    row(
                        "drop late",
                        "rows whose \(input.fields[eventTimeColumn].name)#\(eventTimeColumn) is below the watermark"))
            }
            if let filter { lines.append(row("filter", filter.explain(in: input))) }
            lines += aggregationLines(plan, input: input)
        }
        lines.append("Output: " + outputSchema.fields.map(\.description).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private func aggregationLines(_ plan: AggregationPlan, input: Schema) -> [String] {
        var lines: [String] = []
        if let window = plan.window {
            lines.append(row("window", "\(windowText(window.spec)) on \(window.time.explain(in: input))"))
        }
        let keys = plan.keys.map { "\($0.expr.explain(in: input)) AS \($0.name)" }
        lines.append(row("keys", keys.isEmpty ? "none (one group per window)" : keys.joined(separator: ", ")))
        lines.append(row("partial agg", plan.aggregates.map { $0.explain(in: input) }.joined(separator: ", ")))
        lines.append(row("shuffle", "hash of the window and keys into \(shufflePartitions) partitions"))
        lines.append("Stage 2 (reduce, \(shufflePartitions) tasks, one per state partition)")
        lines.append(row("group row", plan.groupSchema.fields.map(\.description).joined(separator: ", ")))
        lines.append(row("merge", "into the state, then emit \(emitText(windowed: plan.window != nil))"))
        if let having = plan.having { lines.append(row("having", having.explain(in: plan.groupSchema))) }
        lines.append(row("project", projection(plan.output, over: plan.groupSchema)))
        lines.append(row("write", sinkText))
        return lines
    }

    private func row(_ label: String, _ text: String) -> String {
        "  " + label + String(repeating: " ", count: max(1, 12 - label.count)) + text
    }

    private func projection(_ output: [NamedExpr], over schema: Schema) -> String {
        output.map { "\($0.expr.explain(in: schema)) AS \($0.name)" }.joined(separator: ", ")
    }

    private var triggerText: String {
        switch trigger {
        case .asFastAsPossible: "as fast as possible"
        case .interval(let ms): "every \(DurationText.format(ms))"
        }
    }

    private var sourceText: String {
        let format: String
        switch source.format {
        case .json: format = "json"
        case .csv(let delimiter, let hasHeader):
            format = "csv (delimiter '\(Character(UnicodeScalar(delimiter)))', \(hasHeader ? "" : "no ")header)"
        case .combinedLog: format = "combined_log"
        }
        var text = "\(source.name): topic '\(source.topic)', \(format), from \(source.startingOffsets.rawValue) offsets"
        if let eventTime = source.eventTimeColumn { text += ", event time \(source.schema.fields[eventTime].name)" }
        if let delayMs = source.watermarkDelayMs { text += ", watermark \(DurationText.format(delayMs))" }
        if let maxRecordsPerBatch { text += ", at most \(maxRecordsPerBatch) records per batch" }
        return text
    }

    private var sinkText: String {
        switch sink.kind {
        case .console: return "\(sink.name): console"
        case .file(let path, let format): return "\(sink.name): file '\(path)', \(format.rawValue)"
        case .topic(let topic, let keyColumn):
            let key = keyColumn.map { ", keyed by \(outputSchema.fields[$0].name)" } ?? ""
            return "\(sink.name): topic '\(topic)'\(key)"
        }
    }

    private func windowText(_ spec: WindowSpec) -> String {
        switch spec {
        case .tumbling(let sizeMs): "tumbling \(DurationText.format(sizeMs))"
        case .sliding(let sizeMs, let slideMs):
            "sliding \(DurationText.format(sizeMs)) every \(DurationText.format(slideMs))"
        case .session(let gapMs): "session, gap \(DurationText.format(gapMs))"
        }
    }

    private func emitText(windowed: Bool) -> String {
        switch outputMode {
        case .append: windowed ? "each window once, when the watermark passes its end" : "final rows once"
        case .update: "the groups that changed in the batch"
        case .complete: "every group, every batch"
        }
    }
}

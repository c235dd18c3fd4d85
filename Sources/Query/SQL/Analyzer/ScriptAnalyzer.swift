/// Checks a whole script (its declarations and its one INSERT) and builds the job plan.
enum ScriptAnalyzer {
    static func analyze(_ script: Script) throws(SQLError) -> JobPlan {
        let declarations = try Declarations.collect(script)
        let insert = declarations.insert
        let query = insert.query
        guard let stream = declarations.streams.first(where: { matches($0.declaration, query.from.text) }) else {
            let names = declarations.streams.map(\.declaration.name.text)
            throw unknown("stream", query.from, declared: names, declare: "CREATE STREAM")
        }
        guard var sink = declarations.sinks.first(where: { matches($0.declaration, insert.sink.text) })?.draft else {
            let names = declarations.sinks.map(\.declaration.name.text)
            throw unknown("sink", insert.sink, declared: names, declare: "CREATE SINK")
        }
        let (source, maxRecordsPerBatch) = (stream.spec, stream.maxRecordsPerBatch)
        var selectAnalyzer = SelectAnalyzer(query: query, source: source)
        let bound = try selectAnalyzer.analyze()
        let narrowed = InputColumns.narrow(bound, source: source)
        let shape = OutputModeRules.Shape(
            isAggregation: selectAnalyzer.isAggregation, window: bound.window,
            windowOnEventTime: narrowed.windowOnEventTime, hasWatermark: source.watermarkDelayMs != nil,
            streamName: source.name, eventTimeName: source.eventTimeColumn.map { source.schema.fields[$0].name })
        let outputMode = try OutputModeRules.resolve(sink.outputMode, shape)
        let outputSchema = outputSchema(narrowed.body)
        if let key = sink.keyColumn, case .topic(let topic, _) = sink.kind {
            guard let index = outputSchema.index(of: key.value) else {
                let hint = Suggestions.hint(key.value, among: outputSchema.names, label: "output columns")
                throw SQLError("sink key column '\(key.value)' is not an output column\(hint)", at: key.valuePosition)
            }
            sink.kind = .topic(topic: topic, keyColumn: index)
        }
        return JobPlan(
            source: source, decodedColumns: narrowed.decodedColumns, eventTimeColumn: narrowed.eventTimeColumn,
            filter: narrowed.filter, body: narrowed.body,
            sink: SinkSpec(name: sink.name, kind: sink.kind, options: sink.options), outputSchema: outputSchema,
            outputMode: outputMode, trigger: sink.trigger, maxRecordsPerBatch: maxRecordsPerBatch,
            shufflePartitions: sink.shufflePartitions)
    }

    static func matches<T: Named>(_ declaration: T, _ name: String) -> Bool {
        declaration.name.text.lowercased() == name.lowercased()
    }

    private static func unknown(_ what: String, _ name: Name, declared: [String], declare: String) -> SQLError {
        guard !declared.isEmpty else {
            return SQLError(
                "unknown \(what) '\(name.text)': the script declares no \(what); add \(declare) \(name.text) ...",
                at: name.position)
        }
        let hint = Suggestions.hint(name.text, among: declared, label: "\(what)s")
        return SQLError("unknown \(what) '\(name.text)'\(hint)", at: name.position)
    }

    private static func outputSchema(_ body: JobBody) -> Schema {
        switch body {
        case .stateless(let output):
            return Schema(output.map { Field($0.name, $0.expr.type) })
        case .aggregate(let plan):
            return Schema(
                plan.output.map { named in
                    if case .column(let index, _) = named.expr {
                        return Field(named.name, named.expr.type, nullable: plan.groupSchema.fields[index].nullable)
                    }
                    return Field(named.name, named.expr.type)
                })
        }
    }
}

/// A declaration with a name.
protocol Named { var name: Name { get } }
extension CreateStream: Named {}
extension CreateSink: Named {}

/// The checked declarations of a script and its one INSERT.
struct Declarations {
    var streams: [(declaration: CreateStream, spec: SourceSpec, maxRecordsPerBatch: Int?)] = []
    var sinks: [(declaration: CreateSink, draft: SinkDraft)] = []
    var insert: Insert

    /// Checks every declaration in the order written (used or not), then requires one INSERT.
    static func collect(_ script: Script) throws(SQLError) -> Declarations {
        var streams: [(declaration: CreateStream, spec: SourceSpec, maxRecordsPerBatch: Int?)] = []
        var sinks: [(declaration: CreateSink, draft: SinkDraft)] = []
        var insert: Insert?
        for statement in script.statements {
            switch statement {
            case .createStream(let stream):
                if let first = streams.first(where: { ScriptAnalyzer.matches($0.declaration, stream.name.text) }) {
                    throw duplicate("stream", stream.name, first: first.declaration.name.position)
                }
                let (spec, cap) = try StreamAnalyzer.analyze(stream)
                streams.append((stream, spec, cap))
            case .createSink(let sink):
                if let first = sinks.first(where: { ScriptAnalyzer.matches($0.declaration, sink.name.text) }) {
                    throw duplicate("sink", sink.name, first: first.declaration.name.position)
                }
                sinks.append((sink, try SinkAnalyzer.analyze(sink)))
            case .insert(let next):
                if let first = insert {
                    throw SQLError(
                        "a script runs exactly one INSERT INTO ... SELECT; another one starts at \(first.position.line):\(first.position.column)",
                        at: next.position)
                }
                insert = next
            }
        }
        guard let insert else {
            throw SQLError(
                "the script has no INSERT INTO ... SELECT; add one to say what the job writes", at: script.end)
        }
        return Declarations(streams: streams, sinks: sinks, insert: insert)
    }

    private static func duplicate(_ what: String, _ name: Name, first: SourcePosition) -> SQLError {
        SQLError("\(what) '\(name.text)' is already declared at \(first.line):\(first.column)", at: name.position)
    }
}

import Testing

@testable import Query

/// The analyzer's binding, checked against plans written out by hand: indexes into the input
/// batch (which holds only the decoded columns, in source order), types, and the group row.
@Suite struct SQLBindingTests {
    private func column(_ index: Int, _ type: DataType) -> BoundExpr { .column(index: index, type: type) }
    private func int(_ value: Int64) -> BoundExpr { .literal(.int64(value), type: .int64) }
    private func double(_ value: Double) -> BoundExpr { .literal(.double(value), type: .double) }
    private func string(_ value: String) -> BoundExpr { .literal(.string(value), type: .string) }

    private func aggregation(_ plan: JobPlan) -> AggregationPlan? {
        if case .aggregate(let aggregation) = plan.body { return aggregation }
        Issue.record("expected an aggregation, got \(plan.body)")
        return nil
    }

    private func projection(_ plan: JobPlan) -> [NamedExpr] {
        if case .stateless(let output) = plan.body { return output }
        Issue.record("expected a stateless job, got \(plan.body)")
        return []
    }

    @Test func issueExampleCompilesToTheExpectedPlan() throws {
        let plan = try QueryCompiler.compile(SQLFixture.pvUV)
        let source = SourceSpec(
            name: "clicks", topic: "website-logs", format: .json, schema: Schema(SQLFixture.fields),
            eventTimeColumn: 0, watermarkDelayMs: 5_000, startingOffsets: .earliest,
            options: ["topic": "website-logs", "format": "json", "event_time": "ts", "watermark": "5 seconds"])
        // Input batch: ts, ip, user_id, status (source columns 0, 1, 2, 6).
        let aggregation = AggregationPlan(
            window: WindowGrouping(spec: .tumbling(sizeMs: 10_000), time: column(0, .timestamp)), keys: [],
            aggregates: [
                AggregateCall(.countStar, nil, resultType: .int64),
                AggregateCall(.countDistinct, column(2, .string), resultType: .int64),
                AggregateCall(.countDistinct, column(1, .string), resultType: .int64),
            ],
            groupSchema: Schema([
                Field("window_start", .timestamp, nullable: false), Field("window_end", .timestamp, nullable: false),
                Field("count(1)", .int64, nullable: false), Field("count(DISTINCT user_id)", .int64, nullable: false),
                Field("count(DISTINCT ip)", .int64, nullable: false),
            ]),
            having: nil,
            output: [
                NamedExpr("window_start", column(0, .timestamp)), NamedExpr("window_end", column(1, .timestamp)),
                NamedExpr("pv", column(2, .int64)), NamedExpr("uv", column(3, .int64)),
                NamedExpr("ips", column(4, .int64)),
            ])
        let expected = JobPlan(
            source: source, decodedColumns: [0, 1, 2, 6], eventTimeColumn: 0,
            filter: .binary(.less, column(3, .int64), int(500), type: .bool), body: .aggregate(aggregation),
            sink: SinkSpec(
                name: "pv_uv", kind: .file(path: "out/pv_uv", format: .jsonl),
                options: ["type": "file", "path": "out/pv_uv", "format": "jsonl"]),
            outputSchema: Schema([
                Field("window_start", .timestamp, nullable: false), Field("window_end", .timestamp, nullable: false),
                Field("pv", .int64, nullable: false), Field("uv", .int64, nullable: false),
                Field("ips", .int64, nullable: false),
            ]),
            outputMode: .append, trigger: .asFastAsPossible, maxRecordsPerBatch: nil, shufflePartitions: 4)
        #expect(plan == expected)
        #expect(plan.inputSchema.names == ["ts", "ip", "user_id", "status"])
    }

    @Test func compilingIsDeterministic() throws {
        let first = try QueryCompiler.compile(SQLFixture.pvUV)
        for _ in 0..<5 { #expect(try QueryCompiler.compile(SQLFixture.pvUV) == first) }
        #expect(try QueryCompiler.compile(SQLFixture.pvUV).explain() == first.explain())
    }

    @Test func statelessProjectionBindsToInputIndexes() throws {
        let plan = try SQLFixture.plan(
            "SELECT url, status + 1 AS next_status, upper(ip), bytes / 2 FROM clicks WHERE bytes > 100 AND url IS NOT NULL",
            stream: SQLFixture.plainClicks)
        // Decoded: ip(1), url(3), status(6), bytes(7) → input 0, 1, 2, 3.
        #expect(plan.decodedColumns == [1, 3, 6, 7])
        #expect(plan.eventTimeColumn == nil)
        #expect(
            plan.filter
                == .binary(
                    .and, .binary(.greater, column(3, .int64), int(100), type: .bool),
                    .isNull(column(1, .string), negated: true), type: .bool))
        #expect(
            projection(plan) == [
                NamedExpr("url", column(1, .string)),
                NamedExpr("next_status", .binary(.add, column(2, .int64), int(1), type: .int64)),
                NamedExpr("upper(ip)", .function(.upper, [column(0, .string)], type: .string)),
                NamedExpr(
                    "(bytes / 2)", .binary(.divide, .cast(column(3, .int64), to: .double), double(2), type: .double)),
            ])
        #expect(plan.outputSchema.fields.map(\.type) == [.string, .int64, .string, .double])
        #expect(plan.outputMode == .append)
    }

    @Test func watermarkAlwaysDecodesTheEventTimeColumn() throws {
        let plan = try SQLFixture.plan("SELECT url FROM clicks")
        #expect(plan.decodedColumns == [0, 3])
        #expect(plan.eventTimeColumn == 0)
        #expect(projection(plan) == [NamedExpr("url", column(1, .string))])
    }

    @Test func eventTimeIndexFollowsTheInputBatchNotTheSource() throws {
        let stream = """
            CREATE STREAM logs (host STRING, level STRING, at TIMESTAMP, msg STRING)
              WITH (topic = 'logs', event_time = 'at', watermark = '1 minute');
            """
        let plan = try SQLFixture.plan("SELECT msg FROM logs", stream: stream)
        #expect(plan.decodedColumns == [2, 3])
        #expect(plan.eventTimeColumn == 0)
        #expect(plan.source.eventTimeColumn == 2)
        #expect(plan.source.watermarkDelayMs == 60_000)
    }

    @Test func starExpandsEveryColumnInOrder() throws {
        let plan = try SQLFixture.plan("SELECT * FROM clicks")
        #expect(plan.decodedColumns == Array(0..<8))
        #expect(plan.outputSchema.names == SQLFixture.fields.map(\.name))
        #expect(
            projection(plan).map(\.expr) == SQLFixture.fields.enumerated().map { column($0.offset, $0.element.type) })
        let qualified = try SQLFixture.plan("SELECT c.*, 1 AS one FROM clicks c")
        #expect(qualified.outputSchema.names == SQLFixture.fields.map(\.name) + ["one"])
    }

    @Test func keysExpressionsAndHavingWithAnUnselectedAggregate() throws {
        let plan = try SQLFixture.plan(
            "SELECT url, count(*) AS hits FROM clicks GROUP BY url HAVING sum(bytes) > 1000 AND count(*) > 1",
            stream: SQLFixture.plainClicks)
        #expect(plan.decodedColumns == [3, 7])
        guard let aggregation = aggregation(plan) else { return }
        #expect(aggregation.window == nil)
        #expect(aggregation.keys == [NamedExpr("url", column(0, .string))])
        #expect(
            aggregation.aggregates == [
                AggregateCall(.countStar, nil, resultType: .int64),
                AggregateCall(.sum, column(1, .int64), resultType: .int64),
            ])
        #expect(aggregation.groupSchema.names == ["url", "count(1)", "sum(bytes)"])
        #expect(
            aggregation.having
                == .binary(
                    .and, .binary(.greater, column(2, .int64), int(1000), type: .bool),
                    .binary(.greater, column(1, .int64), int(1), type: .bool), type: .bool))
        #expect(aggregation.output == [NamedExpr("url", column(0, .string)), NamedExpr("hits", column(1, .int64))])
        #expect(plan.outputMode == .update)
    }

    @Test func keyExpressionsMatchWholeSubexpressions() throws {
        let plan = try SQLFixture.plan(
            "SELECT upper(lower(url)) AS u, status / 100 AS class, max(bytes) - 1 FROM clicks GROUP BY lower(url), status / 100",
            stream: SQLFixture.plainClicks)
        guard let aggregation = aggregation(plan) else { return }
        let statusClass = BoundExpr.binary(.divide, .cast(column(1, .int64), to: .double), double(100), type: .double)
        #expect(
            aggregation.keys == [
                NamedExpr("lower(url)", .function(.lower, [column(0, .string)], type: .string)),
                NamedExpr("(status / 100)", statusClass),
            ])
        #expect(aggregation.aggregates == [AggregateCall(.max, column(2, .int64), resultType: .int64)])
        #expect(aggregation.output.map(\.name) == ["u", "class", "(max(bytes) - 1)"])
        #expect(aggregation.output[0].expr == .function(.upper, [column(0, .string)], type: .string))
        #expect(aggregation.output[1].expr == column(1, .double))
        #expect(aggregation.output[2].expr == .binary(.subtract, column(2, .int64), int(1), type: .int64))
        #expect(plan.decodedColumns == [3, 6, 7])
    }

    @Test func groupByAliasAndPositionUseTheSelectExpressions() throws {
        let byAlias = try SQLFixture.plan(
            "SELECT lower(url) AS page, count(*) FROM clicks GROUP BY page", stream: SQLFixture.plainClicks)
        let byPosition = try SQLFixture.plan(
            "SELECT lower(url) AS page, count(*) FROM clicks GROUP BY 1", stream: SQLFixture.plainClicks)
        let expectedKeys = [NamedExpr("page", .function(.lower, [column(0, .string)], type: .string))]
        #expect(aggregation(byAlias)?.keys == expectedKeys)
        #expect(aggregation(byPosition)?.keys == expectedKeys)
        #expect(
            aggregation(byAlias)?.output == [
                NamedExpr("page", column(0, .string)), NamedExpr("count(1)", column(1, .int64)),
            ])
        // A stream column wins over an alias of the same name, as in Spark.
        let shadowed = try SQLFixture.plan(
            "SELECT lower(url) AS url, count(*) FROM clicks GROUP BY url, lower(url)", stream: SQLFixture.plainClicks)
        #expect(aggregation(shadowed)?.keys.map(\.name) == ["url", "lower(url)"])
        #expect(aggregation(shadowed)?.output.first?.expr == column(1, .string))
    }

    @Test func windowedKeysComeAfterTheWindowBounds() throws {
        let plan = try SQLFixture.plan(
            """
            SELECT window.start, status, approx_count_distinct(ip) AS ips, avg(bytes), min(url), top_k(url, 3)
            FROM clicks GROUP BY status, window(ts, '1 minute', '30 seconds')
            """)
        #expect(plan.decodedColumns == [0, 1, 3, 6, 7])
        guard let aggregation = aggregation(plan) else { return }
        #expect(
            aggregation.window
                == WindowGrouping(spec: .sliding(sizeMs: 60_000, slideMs: 30_000), time: column(0, .timestamp)))
        #expect(aggregation.keys == [NamedExpr("status", column(3, .int64))])
        #expect(
            aggregation.aggregates == [
                AggregateCall(.approxCountDistinct, column(1, .string), resultType: .int64),
                AggregateCall(.avg, column(4, .int64), resultType: .double),
                AggregateCall(.min, column(2, .string), resultType: .string),
                AggregateCall(.topK(3), column(2, .string), resultType: .string),
            ])
        #expect(
            aggregation.groupSchema.names == [
                "window_start", "window_end", "status", "approx_count_distinct(ip)", "avg(bytes)", "min(url)",
                "top_k(url, 3)",
            ])
        #expect(
            aggregation.output == [
                NamedExpr("start", column(0, .timestamp)), NamedExpr("status", column(2, .int64)),
                NamedExpr("ips", column(3, .int64)), NamedExpr("avg(bytes)", column(4, .double)),
                NamedExpr("min(url)", column(5, .string)), NamedExpr("top_k(url, 3)", column(6, .string)),
            ])
        #expect(plan.outputMode == .append)
    }

    @Test func sessionWindowsAndWindowForms() throws {
        let session = try SQLFixture.plan(
            "SELECT session_window.start, session_window.end, user_id, count(*) FROM clicks GROUP BY user_id, session_window(ts, INTERVAL 5 MINUTES)"
        )
        #expect(aggregation(session)?.window?.spec == .session(gapMs: 300_000))
        #expect(
            aggregation(session)?.output.map(\.expr).prefix(3) == [
                column(0, .timestamp), column(1, .timestamp), column(2, .string),
            ])
        #expect(session.outputMode == .append)
        let equalSlide = try SQLFixture.plan(
            "SELECT count(*) FROM clicks GROUP BY window(ts, '10 s', INTERVAL '10' SECOND)")
        #expect(aggregation(equalSlide)?.window?.spec == .tumbling(sizeMs: 10_000))
    }

    @Test func globalAggregateWithoutGroupBy() throws {
        let plan = try SQLFixture.plan(
            "SELECT count(*), sum(bytes) * 2.0 AS doubled FROM clicks", stream: SQLFixture.plainClicks)
        #expect(plan.decodedColumns == [7])
        guard let aggregation = aggregation(plan) else { return }
        #expect(aggregation.keys.isEmpty && aggregation.window == nil)
        #expect(
            aggregation.output[1]
                == NamedExpr(
                    "doubled", .binary(.multiply, .cast(column(1, .int64), to: .double), double(2), type: .double)))
        #expect(plan.outputMode == .update)
    }

    @Test func countStarAloneStillDecodesOneColumn() throws {
        let plan = try SQLFixture.plan("SELECT count(*) FROM clicks", stream: SQLFixture.plainClicks)
        // The first STRING column (ip), so the batch has a row count and any JSON value decodes.
        #expect(plan.decodedColumns == [1])
        let withWatermark = try SQLFixture.plan("SELECT count(*) FROM clicks")
        #expect(withWatermark.decodedColumns == [0])
    }

    @Test func aggregatesAreSharedBetweenSelectAndHaving() throws {
        let plan = try SQLFixture.plan(
            "SELECT url, count(*) AS a, count(1) AS b, COUNT(*) AS c FROM clicks GROUP BY url HAVING count(*) > 2")
        #expect(aggregation(plan)?.aggregates == [AggregateCall(.countStar, nil, resultType: .int64)])
        #expect(
            aggregation(plan)?.output.map(\.expr) == [
                column(0, .string), column(1, .int64), column(1, .int64), column(1, .int64),
            ])
    }

    @Test func havingMayUseSelectAliases() throws {
        let plan = try SQLFixture.plan("SELECT url, count(*) AS hits FROM clicks GROUP BY url HAVING hits >= 10")
        #expect(aggregation(plan)?.having == .binary(.greaterOrEqual, column(1, .int64), int(10), type: .bool))
    }

    @Test func timestampComparedWithAStringReadsTheString() throws {
        let plan = try SQLFixture.plan(
            "SELECT url FROM clicks WHERE ts >= '2026-01-01 00:00:00' AND ts < TIMESTAMP '2026-01-02T00:00:00Z'")
        // 2026-01-01T00:00:00Z is 1,767,225,600 s after the epoch; the next day is 86,400 s later.
        #expect(
            plan.filter
                == .binary(
                    .and,
                    .binary(
                        .greaterOrEqual, column(0, .timestamp),
                        .literal(.timestamp(1_767_225_600_000), type: .timestamp), type: .bool),
                    .binary(
                        .less, column(0, .timestamp), .literal(.timestamp(1_767_312_000_000), type: .timestamp),
                        type: .bool),
                    type: .bool))
    }

    @Test func implicitWideningAndStringLiteralsInComparisons() throws {
        let plan = try SQLFixture.plan(
            "SELECT status = 200.5, status = '404', bytes IN (1, 2.5, NULL), NULL = url FROM clicks",
            stream: SQLFixture.plainClicks)
        // Input batch: url(3), status(6), bytes(7).
        let output = projection(plan).map(\.expr)
        #expect(output[0] == .binary(.equal, .cast(column(1, .int64), to: .double), double(200.5), type: .bool))
        #expect(output[1] == .binary(.equal, column(1, .int64), int(404), type: .bool))
        #expect(
            output[2]
                == .inList(
                    .cast(column(2, .int64), to: .double), [double(1), double(2.5), .literal(.null, type: .double)],
                    negated: false))
        #expect(output[3] == .binary(.equal, .literal(.null, type: .string), column(0, .string), type: .bool))
    }

    @Test func betweenAndSimpleCaseAreRewritten() throws {
        let plan = try SQLFixture.plan(
            """
            SELECT status BETWEEN 200 AND 299 AS ok, status NOT BETWEEN 1 AND 2.5 AS out_of_range,
                   CASE status WHEN 200 THEN 'ok' WHEN 404 THEN 'missing' ELSE NULL END AS label,
                   CASE WHEN bytes > 10 THEN 1 ELSE 0.5 END AS weight
            FROM clicks
            """, stream: SQLFixture.plainClicks)
        let status = column(0, .int64)
        let output = projection(plan).map(\.expr)
        #expect(
            output[0]
                == .binary(
                    .and, .binary(.greaterOrEqual, status, int(200), type: .bool),
                    .binary(.lessOrEqual, status, int(299), type: .bool), type: .bool))
        // Each comparison of the rewrite finds its own common type.
        #expect(
            output[1]
                == .binary(
                    .or, .binary(.less, status, int(1), type: .bool),
                    .binary(.greater, .cast(status, to: .double), double(2.5), type: .bool), type: .bool))
        #expect(
            output[2]
                == .caseWhen(
                    [
                        WhenClause(condition: .binary(.equal, status, int(200), type: .bool), result: string("ok")),
                        WhenClause(
                            condition: .binary(.equal, status, int(404), type: .bool), result: string("missing")),
                    ], otherwise: .literal(.null, type: .string), type: .string))
        #expect(
            output[3]
                == .caseWhen(
                    [
                        WhenClause(
                            condition: .binary(.greater, column(1, .int64), int(10), type: .bool), result: double(1))
                    ],
                    otherwise: double(0.5), type: .double))
    }

    @Test func likeNotCastConcatAndNegation() throws {
        let plan = try SQLFixture.plan(
            "SELECT url NOT LIKE '%.png', NOT (status > 1), CAST(status AS STRING), url || status, -bytes, -1.5 FROM clicks",
            stream: SQLFixture.plainClicks)
        let output = projection(plan).map(\.expr)
        #expect(output[0] == .like(column(0, .string), pattern: "%.png", negated: true))
        #expect(output[1] == .unary(.not, .binary(.greater, column(1, .int64), int(1), type: .bool), type: .bool))
        #expect(output[2] == .cast(column(1, .int64), to: .string))
        #expect(output[3] == .binary(.concat, column(0, .string), .cast(column(1, .int64), to: .string), type: .string))
        #expect(output[4] == .unary(.negate, column(2, .int64), type: .int64))
        #expect(output[5] == double(-1.5))
        #expect(
            projection(plan).map(\.name) == [
                "(NOT url LIKE %.png)", "(NOT (status > 1))", "CAST(status AS STRING)", "concat(url, status)",
                "(- bytes)", "(- 1.5)",
            ])
    }

    @Test func scalarFunctions() throws {
        let plan = try SQLFixture.plan(
            """
            SELECT coalesce(status, 1.5), length(url), substr(url, 2), substring(url, 1, 3), split_part(url, '/', 2),
                   regexp_extract(url, '/(\\w+)'), regexp_extract(url, 'a(b)', 0), date_trunc('HOUR', ts),
                   hour('2026-01-01 05:00:00'), lower(status)
            FROM clicks
            """, stream: SQLFixture.plainClicks)
        let url = column(1, .string)
        let output = projection(plan).map(\.expr)
        #expect(plan.decodedColumns == [0, 3, 6])
        #expect(output[0] == .function(.coalesce, [.cast(column(2, .int64), to: .double), double(1.5)], type: .double))
        #expect(output[1] == .function(.length, [url], type: .int64))
        #expect(output[2] == .function(.substring, [url, int(2)], type: .string))
        #expect(output[3] == .function(.substring, [url, int(1), int(3)], type: .string))
        #expect(output[4] == .function(.splitPart, [url, string("/"), int(2)], type: .string))
        #expect(output[5] == .function(.regexpExtract, [url, string("/(\\w+)"), int(1)], type: .string))
        #expect(output[6] == .function(.regexpExtract, [url, string("a(b)"), int(0)], type: .string))
        #expect(output[7] == .function(.dateTrunc, [string("hour"), column(0, .timestamp)], type: .timestamp))
        // 2026-01-01 05:00:00 UTC = 1,767,225,600 s + 5 h.
        #expect(
            output[8] == .function(.hour, [.literal(.timestamp(1_767_243_600_000), type: .timestamp)], type: .int64))
        #expect(output[9] == .function(.lower, [.cast(column(2, .int64), to: .string)], type: .string))
    }

    @Test func namesAreCaseInsensitiveAndKeepTheDeclaredSpelling() throws {
        let plan = try SQLFixture.plan(
            "SELECT URL, Clicks.Status FROM CLICKS WHERE USER_ID = 'u'", stream: SQLFixture.plainClicks)
        #expect(plan.outputSchema.names == ["url", "status"])
        #expect(plan.decodedColumns == [2, 3, 6])
    }

    @Test func sinkOptionsAndTopicKey() throws {
        let sql = """
            \(SQLFixture.clicks)
            CREATE SINK hits WITH (type = 'topic', topic = 'url-hits', key = 'URL', trigger = '2 seconds',
                                   output_mode = 'complete', shuffle_partitions = 16);
            INSERT INTO hits SELECT count(*) AS n, url FROM clicks GROUP BY url;
            """
        let plan = try QueryCompiler.compile(sql)
        #expect(plan.sink.kind == .topic(topic: "url-hits", keyColumn: 1))
        #expect(plan.trigger == .interval(ms: 2_000))
        #expect(plan.outputMode == .complete)
        #expect(plan.shufflePartitions == 16)
        #expect(plan.sink.options["shuffle_partitions"] == "16")
    }

    @Test func streamOptions() throws {
        let stream = """
            CREATE STREAM s (a STRING, b BIGINT) WITH (topic = 't', format = 'CSV', delimiter = '\\t', header = 'true',
              starting_offsets = latest, max_records_per_batch = 5000);
            """
        let plan = try SQLFixture.plan("SELECT a FROM s", stream: stream)
        #expect(plan.source.format == .csv(delimiter: 9, hasHeader: true))
        #expect(plan.source.startingOffsets == .latest)
        #expect(plan.maxRecordsPerBatch == 5_000)
        let log = """
            CREATE STREAM access (ip STRING, ts TIMESTAMP, url STRING, status INT) WITH (topic = 'log', format = 'combined_log');
            """
        #expect(try SQLFixture.plan("SELECT url FROM access", stream: log).source.format == .combinedLog)
        let semicolon = "CREATE STREAM s (a STRING) WITH (topic = 't', format = 'csv', delimiter = ';');"
        #expect(
            try SQLFixture.plan("SELECT a FROM s", stream: semicolon).source.format
                == .csv(delimiter: 59, hasHeader: false))
    }

    @Test func triggersAndOutputModeDefaults() throws {
        #expect(
            try SQLFixture.plan("SELECT url FROM clicks", sinkOptions: ", trigger = 'as fast as possible'").trigger
                == .asFastAsPossible)
        #expect(
            try SQLFixture.plan("SELECT url FROM clicks", sinkOptions: ", trigger = '0 seconds'").trigger
                == .asFastAsPossible)
        #expect(
            try SQLFixture.plan("SELECT url FROM clicks", sinkOptions: ", trigger = '1500ms'").trigger
                == .interval(ms: 1_500))
        // Stateless update is accepted, as in Spark, and means append.
        #expect(
            try SQLFixture.plan("SELECT url FROM clicks", sinkOptions: ", output_mode = 'update'").outputMode == .append
        )
        let windowed = "SELECT count(*) FROM clicks GROUP BY window(ts, '1 minute')"
        #expect(try SQLFixture.plan(windowed, stream: SQLFixture.plainClicks).outputMode == .update)
        #expect(try SQLFixture.plan(windowed, sinkOptions: ", output_mode = 'update'").outputMode == .update)
        #expect(try SQLFixture.plan(windowed).outputMode == .append)
    }
}

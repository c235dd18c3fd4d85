import Testing

@testable import Query

/// The issue's jobs end to end: the PV/UV job and a top-URLs job with top_k, and their explain.
@Suite struct SQLExampleTests {
    @Test func pvUVMatchesTheIssue() throws {
        let plan = try QueryCompiler.compile(SQLFixture.pvUV, fileName: "pv_uv.sql")
        #expect(plan.decodedColumns.map { SQLFixture.fields[$0].name } == ["ts", "ip", "user_id", "status"])
        #expect(
            plan.filter
                == .binary(.less, .column(index: 3, type: .int64), .literal(.int64(500), type: .int64), type: .bool))
        guard case .aggregate(let aggregation) = plan.body else {
            Issue.record("not an aggregation")
            return
        }
        #expect(aggregation.window?.spec == .tumbling(sizeMs: 10_000))
        #expect(aggregation.window?.time == .column(index: 0, type: .timestamp))
        #expect(aggregation.aggregates.map(\.kind) == [.countStar, .countDistinct, .countDistinct])
        #expect(plan.outputSchema.names == ["window_start", "window_end", "pv", "uv", "ips"])
        #expect(plan.outputMode == .append)
        #expect(plan.sink.kind == .file(path: "out/pv_uv", format: .jsonl))
    }

    @Test func topURLsWithTopK() throws {
        let plan = try QueryCompiler.compile(SQLFuzzTests.topURLs)
        #expect(plan.decodedColumns == [0, 1, 2])
        guard case .aggregate(let aggregation) = plan.body else {
            Issue.record("not an aggregation")
            return
        }
        #expect(aggregation.window?.spec == .tumbling(sizeMs: 60_000))
        #expect(
            aggregation.aggregates == [
                AggregateCall(.topK(10), .column(index: 1, type: .string), resultType: .string),
                AggregateCall(.countStar, nil, resultType: .int64),
            ])
        #expect(
            aggregation.having
                == .binary(.greater, .column(index: 3, type: .int64), .literal(.int64(0), type: .int64), type: .bool))
        #expect(plan.outputSchema.fields.map(\.type) == [.timestamp, .string, .int64])
        #expect(plan.sink.kind == .topic(topic: "top-urls", keyColumn: 0))
        let status = BoundExpr.column(index: 2, type: .int64)
        let int = { (value: Int64) in BoundExpr.literal(.int64(value), type: .int64) }
        #expect(
            plan.filter
                == .binary(
                    .and,
                    .binary(
                        .and, .binary(.greaterOrEqual, status, int(200), type: .bool),
                        .binary(.lessOrEqual, status, int(399), type: .bool), type: .bool),
                    .like(.column(index: 1, type: .string), pattern: "%.png", negated: true), type: .bool))
    }

    @Test func explainShowsEveryStage() throws {
        let text = try QueryCompiler.compile(SQLFixture.pvUV).explain()
        #expect(
            text == """
                Job: clicks -> pv_uv, output mode append, trigger as fast as possible
                Source: clicks: topic 'website-logs', json, from earliest offsets, event time ts, watermark 5 seconds
                Stage 1 (map, one task per source partition range)
                  decode      4 of 8 columns: ts#0, ip#1, user_id#2, status#3
                  drop late   rows whose ts#0 is below the watermark
                  filter      (status#3 < 500)
                  window      tumbling 10 seconds on ts#0
                  keys        none (one group per window)
                  partial agg count(*), count(DISTINCT user_id#2), count(DISTINCT ip#1)
                  shuffle     hash of the window and keys into 4 partitions
                Stage 2 (reduce, 4 tasks, one per state partition)
                  group row   window_start TIMESTAMP, window_end TIMESTAMP, count(1) BIGINT, count(DISTINCT user_id) BIGINT, count(DISTINCT ip) BIGINT
                  merge       into the state, then emit each window once, when the watermark passes its end
                  project     window_start#0 AS window_start, window_end#1 AS window_end, count(1)#2 AS pv, count(DISTINCT user_id)#3 AS uv, count(DISTINCT ip)#4 AS ips
                  write       pv_uv: file 'out/pv_uv', jsonl
                Output: window_start TIMESTAMP, window_end TIMESTAMP, pv BIGINT, uv BIGINT, ips BIGINT
                """)
    }

    @Test func explainOfAStatelessJob() throws {
        let sql = """
            CREATE STREAM s (a STRING, b BIGINT, t TIMESTAMP) WITH (topic = 't', format = 'csv', header = true,
              max_records_per_batch = 100);
            CREATE SINK o WITH (type = 'console', trigger = '2 seconds');
            INSERT INTO o SELECT upper(a) AS big, b * 2 FROM s WHERE t >= '2026-01-01' AND a IN ('x', 'y');
            """
        let text = try QueryCompiler.compile(sql).explain()
        #expect(
            text == """
                Job: s -> o, output mode append, trigger every 2 seconds
                Source: s: topic 't', csv (delimiter ',', header), from earliest offsets, at most 100 records per batch
                Stage 1 (map, one task per source partition range)
                  decode      3 of 3 columns: a#0, b#1, t#2
                  filter      ((t#2 >= TIMESTAMP '2026-01-01 00:00:00') AND (a#0 IN ('x', 'y')))
                  project     upper(a#0) AS big, (b#1 * 2) AS (b * 2)
                  write       o: console
                Output: big STRING, (b * 2) BIGINT
                """)
    }
}

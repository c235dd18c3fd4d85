extension ExecBenchmark {
    /// The clicks stream of the pv_uv example: eight columns, event time `ts`, 5 s watermark.
    public static let clicksSchema = Schema([
        Field("ts", .timestamp), Field("ip", .string), Field("user_id", .string), Field("url", .string),
        Field("referrer", .string), Field("user_agent", .string), Field("status", .int64), Field("bytes", .int64),
    ])

    /// The plan `pv_uv.sql` compiles to: WHERE status < 500, a 10 s tumbling window, count(*) and
    /// two exact distinct counts, append mode. Built by hand so the benchmark needs no compiler.
    public static func pvUvPlan(shufflePartitions: Int = 4) -> JobPlan {
        let source = SourceSpec(
            name: "clicks", topic: "website-logs", format: .json, schema: clicksSchema, eventTimeColumn: 0,
            watermarkDelayMs: 5000)
        // Input batch columns: ts, ip, user_id, status.
        let groupSchema = Schema([
            Field("window_start", .timestamp), Field("window_end", .timestamp), Field("pv", .int64),
            Field("uv", .int64),
            Field("ips", .int64),
        ])
        let aggregation = AggregationPlan(
            window: WindowGrouping(spec: .tumbling(sizeMs: 10_000), time: .column(index: 0, type: .timestamp)),
            keys: [],
            aggregates: [
                AggregateCall(.countStar, nil, resultType: .int64),
                AggregateCall(.countDistinct, .column(index: 2, type: .string), resultType: .int64),
                AggregateCall(.countDistinct, .column(index: 1, type: .string), resultType: .int64),
            ],
            groupSchema: groupSchema, having: nil,
            output: groupSchema.fields.enumerated().map { NamedExpr($1.name, .column(index: $0, type: $1.type)) })
        return JobPlan(
            source: source, decodedColumns: [0, 1, 2, 6], eventTimeColumn: 0,
            filter: .binary(.less, .column(index: 3, type: .int64), .literal(.int64(500), type: .int64), type: .bool),
            body: .aggregate(aggregation),
            sink: SinkSpec(name: "pv_uv", kind: .file(path: "out/pv_uv", format: .jsonl)),
            outputSchema: groupSchema, outputMode: .append, shufflePartitions: shufflePartitions)
    }
}

extension ExecBenchmark {
    /// `rows` synthetic decoded pv_uv rows (ts, ip, user_id, status, as `pvUvPlan` decodes them)
    /// and the source records they claim to come from (offsets from 0, empty values).
    public static func syntheticRecords(rows: Int, users: Int = 200_000, ips: Int = 50_000, seed: UInt64 = 42)
        -> (SourceRecords, DecodedRecords)
    {
        var generator = DecodedClickSynthesizer(seed: seed, users: max(1, users), ips: max(1, ips))
        return generator.batch(rows: max(0, rows), partition: 0)
    }
}

/// Synthetic decoded click rows: time moving forward about 1 ms per 50 rows with up to 2 s of
/// disorder, skewed users and IPs, about 2% server errors. Deterministic from its seed.
struct DecodedClickSynthesizer {
    private var state: UInt64
    private var clockMs: Int64 = 1_700_000_000_000
    private var offset: Int64 = 0
    let users: Int
    let ips: Int

    init(seed: UInt64, users: Int, ips: Int) {
        state = seed
        self.users = users
        self.ips = ips
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A skewed draw in 0..<n: the minimum of two uniform draws favours small numbers.
    mutating func skewed(_ n: Int) -> Int { min(Int(next() % UInt64(n)), Int(next() % UInt64(n))) }

    /// `rows` decoded rows (ts, ip, user_id, status) and the records they claim to come from.
    mutating func batch(rows: Int, partition: Int32) -> (SourceRecords, DecodedRecords) {
        var ts = Column(.timestamp)
        var ip = Column(.string)
        var user = Column(.string)
        var status = Column(.int64)
        ts.reserve(rows)
        status.reserve(rows)
        ip.strings.reserve(rows: rows, bytesPerRow: 14)
        user.strings.reserve(rows: rows, bytesPerRow: 12)
        for _ in 0..<rows {
            if next() % 50 == 0 { clockMs += 1 }
            ts.append(int64: clockMs - Int64(next() % 2000))
            let address = skewed(ips)
            ip.append(string: "10.\(address >> 16).\((address >> 8) & 255).\(address & 255)")
            user.append(string: "user-\(skewed(users))")
            let draw = next() % 100
            status.append(int64: draw < 2 ? 503 : (draw < 7 ? 404 : 200))
        }
        let schema = Schema([
            Field("ts", .timestamp), Field("ip", .string), Field("user_id", .string), Field("status", .int64),
        ])
        let batch = RecordBatch(schema: schema, columns: [ts, ip, user, status])
        let records = SourceRecords(
            partition: partition, buffer: [], valueStarts: [Int](repeating: 0, count: rows),
            valueLengths: [Int32](repeating: 0, count: rows), offsets: (0..<Int64(rows)).map { offset + $0 },
            timestampsMs: [Int64](repeating: 0, count: rows))
        offset += Int64(rows)
        return (records, DecodedRecords(batch: batch, recordIndexes: Array(0..<rows), deadLetters: []))
    }
}

@testable import Query

/// Random rows and plain-loop aggregates for the Exec aggregate tests: the expectation is
/// computed with dictionaries and sets, never with Spate's operators.
enum AggregateFixture {
    /// ts, k (string key), n (BIGINT), d (DOUBLE), s (STRING), b (BOOLEAN); all but ts nullable.
    static let fields = [
        Field("ts", .timestamp), Field("k", .string), Field("n", .int64), Field("d", .double), Field("s", .string),
        Field("b", .bool),
    ]

    static func col(_ index: Int) -> BoundExpr { .column(index: index, type: fields[index].type) }

    /// The aggregates under test, with their names.
    static let aggregates: [(String, AggregateCall)] = [
        ("cnt", AggregateCall(.countStar, nil, resultType: .int64)),
        ("cn", AggregateCall(.count, col(2), resultType: .int64)),
        ("sn", AggregateCall(.sum, col(2), resultType: .int64)),
        ("sd", AggregateCall(.sum, col(3), resultType: .double)),
        ("an", AggregateCall(.avg, col(2), resultType: .double)),
        ("minn", AggregateCall(.min, col(2), resultType: .int64)),
        ("maxn", AggregateCall(.max, col(2), resultType: .int64)),
        ("mind", AggregateCall(.min, col(3), resultType: .double)),
        ("maxd", AggregateCall(.max, col(3), resultType: .double)),
        ("mins", AggregateCall(.min, col(4), resultType: .string)),
        ("maxs", AggregateCall(.max, col(4), resultType: .string)),
        ("minb", AggregateCall(.min, col(5), resultType: .bool)),
        ("maxb", AggregateCall(.max, col(5), resultType: .bool)),
        ("maxt", AggregateCall(.max, col(0), resultType: .timestamp)),
        ("dn", AggregateCall(.countDistinct, col(2), resultType: .int64)),
        ("ds", AggregateCall(.countDistinct, col(4), resultType: .int64)),
        ("dd", AggregateCall(.countDistinct, col(3), resultType: .int64)),
        ("db", AggregateCall(.countDistinct, col(5), resultType: .int64)),
        ("top", AggregateCall(.topK(3), col(4), resultType: .string)),
        ("topn", AggregateCall(.topK(2), col(2), resultType: .string)),
    ]

    /// Rows with event times in [0, spanMs), keys from a small set (and NULL), strings of 0–30
    /// characters (inline and arena-stored values), doubles in quarters (exact sums), -0.0 and 0.0.
    static func rows(_ count: Int, spanMs: Int64 = 60_000, using random: inout SeededRandom) -> [[Value]] {
        let keys: [Value] = [.string("a"), .string("b"), .string("ccc"), .null, .string("é")]
        let strings: [Value] = (0..<40).map { index in
            index == 0 ? .null : .string(String(repeating: "xyzé"[index % 4], count: index % 31) + "\(index % 13)")
        }
        return (0..<count).map { _ in
            let n: Value =
                Int.random(in: 0..<10, using: &random) == 0 ? .null : .int64(Int64.random(in: -50...50, using: &random))
            let dRaw = Double(Int.random(in: -40...40, using: &random)) / 4
            let d: Value =
                Int.random(in: 0..<10, using: &random) == 0
                ? .null : .double(dRaw == 0 && Bool.random(using: &random) ? -0.0 : dRaw)
            let b: Value = Int.random(in: 0..<5, using: &random) == 0 ? .null : .bool(Bool.random(using: &random))
            return [
                .timestamp(Int64.random(in: 0..<spanMs, using: &random)), keys.randomElement(using: &random)!, n, d,
                strings[Int.random(in: 0..<strings.count, using: &random)], b,
            ]
        }
    }

    /// The expected group row of `rows` (all in one group), aggregates only.
    static func expected(_ rows: [[Value]]) -> [Value] {
        func nonNull(_ index: Int) -> [Value] { rows.map { $0[index] }.filter { !$0.isNull } }
        let ns = nonNull(2).map { value -> Int64 in if case .int64(let x) = value { x } else { 0 } }
        let ds = nonNull(3).map { value -> Double in if case .double(let x) = value { x } else { 0 } }
        let ss = nonNull(4).map { value -> String in if case .string(let x) = value { x } else { "" } }
        let bs = nonNull(5).map { value -> Bool in if case .bool(let x) = value { x } else { false } }
        let ts = rows.map { row -> Int64 in if case .timestamp(let x) = row[0] { x } else { 0 } }
        let byCodePoint: (String, String) -> Bool = { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        return [
            .int64(Int64(rows.count)), .int64(Int64(ns.count)),
            ns.isEmpty ? .null : .int64(ns.reduce(0, &+)), ds.isEmpty ? .null : .double(ds.reduce(0, +)),
            ns.isEmpty ? .null : .double(Double(ns.reduce(0, +)) / Double(ns.count)),
            ns.min().map(Value.int64) ?? .null, ns.max().map(Value.int64) ?? .null,
            ds.min().map(Value.double) ?? .null, ds.max().map(Value.double) ?? .null,
            ss.min(by: byCodePoint).map(Value.string) ?? .null, ss.max(by: byCodePoint).map(Value.string) ?? .null,
            bs.isEmpty ? .null : .bool(bs.allSatisfy { $0 }), bs.isEmpty ? .null : .bool(bs.contains(true)),
            .timestamp(ts.max() ?? 0),
            .int64(Int64(Set(ns).count)), .int64(Int64(Set(ss).count)),
            .int64(Int64(Set(ds.map { $0 == 0 ? 0 : $0 }).count)),
            .int64(Int64(Set(bs).count)),
            .string(topK(ss.map { "\"" + $0 + "\"" }, k: 3, order: byCodePoint, ss)),
            .string(topK(ns.map(String.init), k: 2, order: { Int64($0)! < Int64($1)! }, ns.map(String.init))),
        ]
    }

    /// `[{"value":v,"count":c},...]` of the k most frequent values, ties by `order` of the raw value.
    static func topK(_ rendered: [String], k: Int, order: (String, String) -> Bool, _ raw: [String]) -> String {
        var counts: [String: Int] = [:]
        var renderedOf: [String: String] = [:]
        for (value, text) in zip(raw, rendered) {
            counts[value, default: 0] += 1
            renderedOf[value] = text
        }
        let ranked = counts.sorted { a, b in a.value != b.value ? a.value > b.value : order(a.key, b.key) }
        let items = ranked.prefix(k).map { "{\"value\":\(renderedOf[$0.key]!),\"count\":\($0.value)}" }
        return "[" + items.joined(separator: ",") + "]"
    }
}

extension String {
    fileprivate subscript(_ index: Int) -> String { String(self[self.index(startIndex, offsetBy: index)]) }
}

import Testing

@testable import Query

@Suite struct ExecExprCastTests {
    func cast(_ inputs: [Value], from type: DataType, to target: DataType) throws -> [Value] {
        try eval(.cast(E.col(0, type), to: target), makeBatch([(type, inputs)]))
    }

    @Test func stringsToIntegers() throws {
        let inputs: [String] = [
            "12", " -34 ", "+5", "1.9", "-1.9", "x", "", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "1e3", "12a", ".5", "7.",
        ]
        let expected: [Value] = [
            .int64(12), .int64(-34), .int64(5), .int64(1), .int64(-1), .null, .null, .int64(Int64.max), .null,
            .int64(Int64.min), .null, .null, .null, .null, .int64(7),
        ]
        #expect(try cast(inputs.map(Value.string) + [.null], from: .string, to: .int64) == expected + [.null])
    }

    @Test func stringsToDoublesAndBools() throws {
        let doubles = try cast(
            ["1.5", " -2e3 ", "NaN", "-Infinity", "abc", "0x10", "inf"].map(Value.string), from: .string, to: .double)
        #expect(doubles.count == 7)
        #expect(doubles[0] == .double(1.5) && doubles[1] == .double(-2000) && doubles[3] == .double(-.infinity))
        if case .double(let nan) = doubles[2] { #expect(nan.isNaN) } else { Issue.record("NaN did not parse") }
        #expect(doubles[4] == .null && doubles[5] == .null && doubles[6] == .double(.infinity))
        let bools = try cast(["true", "F", " yes", "0", "maybe", "1"].map(Value.string), from: .string, to: .bool)
        #expect(bools == [.bool(true), .bool(false), .bool(true), .bool(false), .null, .bool(true)])
    }

    @Test func stringsToTimestamps() throws {
        let cases: [(String, Value)] = [
            ("2024-01-02T03:04:05.678Z", .timestamp(1_704_164_645_678)),
            ("2024-01-02 03:04:05", .timestamp(1_704_164_645_000)),
            ("2024-01-02", .timestamp(1_704_153_600_000)),
            ("2024-01-02T03:04:05+01:00", .timestamp(1_704_161_045_000)),
            ("2024-01-02T03:04:05.678123456Z", .timestamp(1_704_164_645_678)),
            ("1969-12-31T23:59:59.999Z", .timestamp(-1)),
            ("1704164645678", .timestamp(1_704_164_645_678)),
            ("2000-02-29T12:00:00Z", .timestamp(951_825_600_000)),
            ("2023-02-29", .null), ("2024-13-01", .null), ("2024-01-02T25:00", .null), ("yesterday", .null),
            ("2024-01-02T03:04:05.Z", .null),
        ]
        #expect(try cast(cases.map { .string($0.0) }, from: .string, to: .timestamp) == cases.map(\.1))
    }

    @Test func valuesToStrings() throws {
        #expect(
            try cast(
                [.timestamp(1_704_164_645_678), .timestamp(-1), .timestamp(0), .null], from: .timestamp, to: .string)
                == [
                    .string("2024-01-02T03:04:05.678Z"), .string("1969-12-31T23:59:59.999Z"),
                    .string("1970-01-01T00:00:00.000Z"),
                    .null,
                ])
        #expect(try cast([.int64(-42), .null], from: .int64, to: .string) == [.string("-42"), .null])
        #expect(
            try cast([.bool(true), .bool(false)], from: .bool, to: .string) == [.string("true"), .string("false")])
        #expect(
            try cast([.double(1.5), .double(.nan), .double(-.infinity)], from: .double, to: .string) == [
                .string("1.5"), .string("NaN"), .string("-Infinity"),
            ])
    }

    @Test func numbersBetweenThemselves() throws {
        #expect(
            try cast(
                [.double(1.9), .double(-1.9), .double(.nan), .double(1e30), .double(-1e30), .null], from: .double,
                to: .int64)
                == [.int64(1), .int64(-1), .int64(0), .int64(Int64.max), .int64(Int64.min), .null])
        #expect(try cast([.bool(true), .bool(false)], from: .bool, to: .int64) == [.int64(1), .int64(0)])
        #expect(try cast([.int64(0), .int64(-3)], from: .int64, to: .bool) == [.bool(false), .bool(true)])
        #expect(try cast([.int64(1500)], from: .int64, to: .timestamp) == [.timestamp(1500)])
        #expect(try cast([.timestamp(1500)], from: .timestamp, to: .double) == [.double(1500)])
        #expect(try cast([.double(.infinity)], from: .double, to: .timestamp) == [.null])
    }

    @Test func formattedTimestampsParseBack() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<2000 {
            let ms = Int64.random(in: -80_000_000_000_000...250_000_000_000_000, using: &random)
            let text = CivilTime.iso8601(ms)
            let parsed = Array(text.utf8).withUnsafeBytes(TimestampParsing.parse)
            #expect(parsed == ms, "\(ms) → \(text)")
        }
    }
}

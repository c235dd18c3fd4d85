import Testing
import Wire

@testable import Query

@Suite struct RecordBatchCodecTests {
    static func sample() -> RecordBatch {
        let schema = Schema([
            Field("flag", .bool), Field("n", .int64), Field("x", .double), Field("s", .string),
            Field("ts", .timestamp, nullable: false),
        ])
        return RecordBatch(
            schema: schema,
            columns: [
                Column(.bool, values: [.bool(true), .null, .bool(false)]),
                Column(.int64, values: [.int64(-1), .int64(.max), .null]),
                Column(.double, values: [.null, .double(2.5), .double(-0.0)]),
                Column(.string, values: [.string("héllo"), .null, .string("")]),
                Column(.timestamp, values: [.timestamp(0), .timestamp(1_700_000_000_000), .timestamp(-5)]),
            ])
    }

    @Test func roundTripsEveryTypeWithNulls() throws {
        let batch = Self.sample()
        let decoded = try RecordBatch.decode(batch.encoded())
        #expect(decoded.schema == batch.schema)
        #expect(decoded.rows == batch.rows)
    }

    @Test func roundTripsRandomBatches() throws {
        var random = QueryTestRandom(seed: 42)
        for _ in 0..<200 {
            let rows = Int(random.next() % 40)
            let types = DataType.allCases
            let fields = (0..<Int(random.next() % 5 + 1)).map { Field("c\($0)", types[Int(random.next() % 5)]) }
            let columns = fields.map { field in
                Column(field.type, values: (0..<rows).map { _ in Self.randomValue(field.type, &random) })
            }
            let batch = RecordBatch(schema: Schema(fields), columns: columns)
            #expect(try RecordBatch.decode(batch.encoded()).rows == batch.rows)
        }
    }

    @Test func everyTruncationIsATypedError() {
        let bytes = Self.sample().encoded()
        for cut in 0..<bytes.count {
            #expect(throws: DecodeError.self) { try RecordBatch.decode(Array(bytes[0..<cut])) }
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = QueryTestRandom(seed: 7)
        let valid = Self.sample().encoded()
        for _ in 0..<5_000 {
            var bytes = valid
            for _ in 0..<Int(random.next() % 4 + 1) {
                bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            _ = try? RecordBatch.decode(bytes)
        }
    }

    @Test func hostileCountsAreRefusedBeforeAllocating() {
        var writer = ByteWriter()
        writer.writeByte(RecordBatch.codecVersion)
        writer.writeInteger(UInt16(1))
        writer.writeInt16String("n")
        writer.writeByte(DataType.int64.rawValue)
        writer.writeBool(true)
        writer.writeInteger(UInt32.max)
        #expect(throws: DecodeError.self) { try RecordBatch.decode(writer.bytes) }
    }

    static func randomValue(_ type: DataType, _ random: inout QueryTestRandom) -> Value {
        if random.next() % 5 == 0 { return .null }
        switch type {
        case .bool: return .bool(random.next() % 2 == 0)
        case .int64: return .int64(Int64(bitPattern: random.next()))
        case .timestamp: return .timestamp(Int64(bitPattern: random.next()) / 1_000)
        case .double: return .double(Double(Int64(bitPattern: random.next())) / 7)
        case .string:
            let scalars = (0..<Int(random.next() % 8)).map { _ in
                Character(Unicode.Scalar(UInt8(random.next() % 94 + 33)))
            }
            return .string(String(scalars) + (random.next() % 3 == 0 ? "é😀" : ""))
        }
    }
}

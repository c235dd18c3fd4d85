import Testing
import Wire

/// One typed field of a random write schedule; strings are held as UTF-8 so equality is byte-exact
/// (Swift's `String ==` would call canonically equivalent spellings equal).
enum BytesField: Equatable {
    case int8(Int8), int16(Int16), int32(Int32), int64(Int64)
    case uint8(UInt8), uint16(UInt16), uint32(UInt32), uint64(UInt64)
    case bool(Bool), doubleBits(UInt64), raw([UInt8])
    case uvarint32(UInt32), uvarint64(UInt64), varint32(Int32), varint64(Int64)
    case int16String([UInt8]), nullableInt16String([UInt8]?)
    case int32Bytes([UInt8]), nullableInt32Bytes([UInt8]?)
    case varintBytes([UInt8]?), varintString([UInt8]?)
    case compactString([UInt8]?), compactBytes([UInt8]?)

    static let kinds = 23

    static func text(_ utf8: [UInt8]) -> String { String(decoding: utf8, as: UTF8.self) }
    static func text(_ utf8: [UInt8]?) -> String? { utf8.map(text) }

    /// A random field of a random kind; byte and string payloads are sometimes null, empty or long.
    static func random(using random: inout BytesTestRandom) -> BytesField {
        func payload() -> [UInt8] {
            let long = Int.random(in: 0..<10, using: &random) == 0
            return random.bytes(Int.random(in: 0...(long ? 300 : 12), using: &random))
        }
        func text() -> [UInt8] { random.utf8Text(maxScalars: Int.random(in: 0..<10, using: &random) == 0 ? 80 : 6) }
        func maybe(_ make: () -> [UInt8]) -> [UInt8]? { Int.random(in: 0..<4, using: &random) == 0 ? nil : make() }
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .int8(random.edgy())
        case 1: return .int16(random.edgy())
        case 2: return .int32(random.edgy())
        case 3: return .int64(random.edgy())
        case 4: return .uint8(random.edgy())
        case 5: return .uint16(random.edgy())
        case 6: return .uint32(random.edgy())
        case 7: return .uint64(random.edgy())
        case 8: return .bool(Bool.random(using: &random))
        case 9: return .doubleBits(randomDoubleBits(using: &random))
        case 10: return .raw(payload())
        case 11: return .uvarint32(random.edgy())
        case 12: return .uvarint64(random.edgy())
        case 13: return .varint32(random.edgy())
        case 14: return .varint64(random.edgy())
        case 15: return .int16String(text())
        case 16: return .nullableInt16String(maybe(text))
        case 17: return .int32Bytes(payload())
        case 18: return .nullableInt32Bytes(maybe(payload))
        case 19: return .varintBytes(maybe(payload))
        case 20: return .varintString(maybe(text))
        case 21: return .compactString(maybe(text))
        default: return .compactBytes(maybe(payload))
        }
    }

    /// Ordinary doubles, infinities, signed zeros, and quiet and signalling NaNs with random payloads.
    static func randomDoubleBits(using random: inout BytesTestRandom) -> UInt64 {
        let exponentAllOnes: UInt64 = 0x7FF0_0000_0000_0000
        let sign: UInt64 = Bool.random(using: &random) ? 1 << 63 : 0
        switch Int.random(in: 0..<5, using: &random) {
        case 0: return sign | exponentAllOnes | 0x8_0000_0000_0000 | (random.next() & 0x7_FFFF_FFFF_FFFF)
        case 1: return sign | exponentAllOnes | max(1, random.next() & 0x7_FFFF_FFFF_FFFF)
        case 2: return sign | [0, exponentAllOnes, 1, (1.5).bitPattern][Int.random(in: 0..<4, using: &random)]
        default: return random.next()
        }
    }

    func write(to writer: inout ByteWriter) {
        switch self {
        case .int8(let value): writer.writeInteger(value)
        case .int16(let value): writer.writeInteger(value)
        case .int32(let value): writer.writeInteger(value)
        case .int64(let value): writer.writeInteger(value)
        case .uint8(let value): writer.writeInteger(value)
        case .uint16(let value): writer.writeInteger(value)
        case .uint32(let value): writer.writeInteger(value)
        case .uint64(let value): writer.writeInteger(value)
        case .bool(let value): writer.writeBool(value)
        case .doubleBits(let bits): writer.writeDouble(Double(bitPattern: bits))
        case .raw(let bytes): writer.writeBytes(bytes)
        case .uvarint32(let value): writer.writeUVarint(UInt64(value))
        case .uvarint64(let value): writer.writeUVarint(value)
        case .varint32(let value): writer.writeVarint32(value)
        case .varint64(let value): writer.writeVarint64(value)
        case .int16String(let utf8): writer.writeInt16String(Self.text(utf8))
        case .nullableInt16String(let utf8): writer.writeInt16String(Self.text(utf8))
        case .int32Bytes(let bytes): writer.writeInt32Bytes(bytes)
        case .nullableInt32Bytes(let bytes): writer.writeInt32Bytes(bytes)
        case .varintBytes(let bytes): writer.writeVarintBytes(bytes)
        case .varintString(let utf8): writer.writeVarintString(Self.text(utf8))
        case .compactString(let utf8): writer.writeCompactString(Self.text(utf8))
        case .compactBytes(let bytes): writer.writeCompactBytes(bytes)
        }
    }

    /// Reads a field of the same kind as `self` (the schedule), ignoring `self`'s value except raw lengths.
    func read(from reader: inout ByteReader) throws(DecodeError) -> BytesField {
        switch self {
        case .int8: return .int8(try reader.readInt8())
        case .int16: return .int16(try reader.readInt16())
        case .int32: return .int32(try reader.readInt32())
        case .int64: return .int64(try reader.readInt64())
        case .uint8: return .uint8(try reader.readUInt8())
        case .uint16: return .uint16(try reader.readUInt16())
        case .uint32: return .uint32(try reader.readUInt32())
        case .uint64: return .uint64(try reader.readUInt64())
        case .bool: return .bool(try reader.readBool())
        case .doubleBits: return .doubleBits(try reader.readDouble().bitPattern)
        case .raw(let bytes): return .raw(try reader.readBytes(count: bytes.count))
        case .uvarint32: return .uvarint32(try reader.readUVarint32())
        case .uvarint64: return .uvarint64(try reader.readUVarint64())
        case .varint32: return .varint32(try reader.readVarint32())
        case .varint64: return .varint64(try reader.readVarint64())
        case .int16String: return .int16String(Array(try reader.readInt16String().utf8))
        case .nullableInt16String:
            return .nullableInt16String(try reader.readNullableInt16String().map { Array($0.utf8) })
        case .int32Bytes: return .int32Bytes(try reader.readInt32Bytes())
        case .nullableInt32Bytes: return .nullableInt32Bytes(try reader.readNullableInt32Bytes())
        case .varintBytes: return .varintBytes(try reader.readVarintBytes())
        case .varintString: return .varintString(try reader.readVarintString().map { Array($0.utf8) })
        case .compactString: return .compactString(try reader.readCompactString().map { Array($0.utf8) })
        case .compactBytes: return .compactBytes(try reader.readCompactBytes())
        }
    }
}

/// Random schedules of typed writes read back identically, and every cut of their encoding is refused cleanly.
@Suite struct BytesRoundTripTests {
    static func randomSchedule(using random: inout BytesTestRandom) -> [BytesField] {
        (0..<Int.random(in: 1...12, using: &random)).map { _ in BytesField.random(using: &random) }
    }

    static func encode(_ schedule: [BytesField]) -> [UInt8] {
        var writer = ByteWriter(capacity: 16)
        for field in schedule { field.write(to: &writer) }
        return writer.bytes
    }

    static func decode(_ schedule: [BytesField], from reader: inout ByteReader) throws(DecodeError) -> [BytesField] {
        var fields: [BytesField] = []
        for field in schedule { fields.append(try field.read(from: &reader)) }
        return fields
    }

    @Test(.dedicatedThread) func randomSchedulesRoundTrip() throws {
        let seed = BytesTestRandom.seed(0x5EED_0101)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<1500 {
            let schedule = Self.randomSchedule(using: &random)
            let bytes = Self.encode(schedule)
            var reader = ByteReader(bytes)
            let decoded = try Self.decode(schedule, from: &reader)
            #expect(decoded == schedule, "seed \(seed) round \(round)")
            #expect(reader.isAtEnd, "seed \(seed) round \(round): \(reader.readableBytes) bytes left over")
        }
    }

    /// The same schedule embedded at an offset in a larger array decodes the same through a range reader.
    @Test func randomSchedulesRoundTripInsideARange() throws {
        let seed = BytesTestRandom.seed(0x5EED_0102)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<300 {
            let schedule = Self.randomSchedule(using: &random)
            let prefix = random.bytes(Int.random(in: 0...9, using: &random))
            let body = Self.encode(schedule)
            let storage = prefix + body + random.bytes(Int.random(in: 0...9, using: &random))
            var reader = ByteReader(storage, range: prefix.count..<prefix.count + body.count)
            #expect(try Self.decode(schedule, from: &reader) == schedule, "seed \(seed) round \(round)")
            #expect(reader.isAtEnd, "seed \(seed) round \(round)")
        }
    }

    /// Reading a valid encoding cut short must end in `.truncated`, whichever field the cut lands in.
    @Test(.dedicatedThread) func everyStrictPrefixIsRefusedAsTruncated() {
        let seed = BytesTestRandom.seed(0x5EED_0103)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<400 {
            let schedule = Self.randomSchedule(using: &random)
            let bytes = Self.encode(schedule)
            for cut in 0..<bytes.count {
                var reader = ByteReader(bytes, range: 0..<cut)
                do {
                    _ = try Self.decode(schedule, from: &reader)
                    Issue.record("seed \(seed) round \(round): prefix of \(cut)/\(bytes.count) bytes decoded")
                } catch {
                    guard case .truncated = error else {
                        Issue.record("seed \(seed) round \(round) cut \(cut): expected truncated, got \(error)")
                        continue
                    }
                }
            }
        }
    }

    /// Random bytes fed to random schedules may decode or fail, but must never trap or over-read.
    @Test(.dedicatedThread) func randomGarbageNeverTraps() {
        let seed = BytesTestRandom.seed(0x5EED_0104)
        var random = BytesTestRandom(seed: seed)
        var failures = 0
        for _ in 0..<3000 {
            let schedule = Self.randomSchedule(using: &random)
            let garbage = random.bytes(Int.random(in: 0...64, using: &random))
            var reader = ByteReader(garbage)
            do {
                _ = try Self.decode(schedule, from: &reader)
            } catch {
                failures += 1
            }
            #expect(reader.readerIndex <= garbage.count, "seed \(seed)")
        }
        #expect(failures > 0, "seed \(seed): garbage should usually fail to decode")
    }
}

import Testing
import Wire

/// ByteWriter's layout of fixed-width fields and its backpatching of lengths written after the fact.
@Suite struct BytesWriterTests {
    @Test func integersAreBigEndian() {
        var writer = ByteWriter()
        writer.writeInteger(Int8(-2))
        writer.writeInteger(UInt16(0x0102))
        writer.writeInteger(Int32(-1))
        writer.writeInteger(UInt64(0x0102_0304_0506_0708))
        #expect(writer.bytes == [0xfe, 0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(writer.count == 15)
    }

    @Test func boolAndDoubleLayout() {
        var writer = ByteWriter()
        writer.writeBool(true)
        writer.writeBool(false)
        writer.writeDouble(1.0)
        writer.writeDouble(-0.0)
        #expect(writer.bytes == [1, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func kafkaStringAndBytesLayouts() {
        var writer = ByteWriter()
        writer.writeInt16String("ab")
        writer.writeInt16String(nil)
        writer.writeInt32Bytes([7])
        writer.writeInt32Bytes(nil)
        writer.writeCompactString("")
        writer.writeCompactBytes(nil)
        writer.writeVarintString(nil)
        writer.writeVarintBytes([])
        let expected: [UInt8] = [
            0x00, 0x02, 0x61, 0x62, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x07, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00,
            0x01, 0x00,
        ]
        #expect(writer.bytes == expected)
    }

    @Test func rawWritesOfEveryForm() {
        var writer = ByteWriter(capacity: 0)
        writer.writeByte(1)
        writer.writeBytes([2, 3])
        writer.writeBytes([9, 4, 5, 9][1..<3])
        ([6, 7] as [UInt8]).withUnsafeBytes { writer.writeBytes($0) }
        #expect(writer.bytes == [1, 2, 3, 4, 5, 6, 7])
        writer.clear()
        #expect(writer.bytes.isEmpty && writer.count == 0)
    }

    @Test func setIntegerPatchesInPlaceAtEveryWidth() {
        var writer = ByteWriter()
        writer.writeBytes([UInt8](repeating: 0xee, count: 16))
        writer.setInteger(UInt8(0x01), at: 0)
        writer.setInteger(Int16(-2), at: 1)
        writer.setInteger(UInt32(0x0a0b_0c0d), at: 3)
        writer.setInteger(Int64(0x1122_3344_5566_7788), at: 8)
        let expected: [UInt8] = [
            0x01, 0xff, 0xfe, 0x0a, 0x0b, 0x0c, 0x0d, 0xee, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
        ]
        #expect(writer.bytes == expected)
        #expect(writer.count == 16)
    }

    /// A length known only after its body is written, as in every Kafka response and batch header.
    @Test func reserveAndPatchLength() throws {
        var writer = ByteWriter()
        writer.writeInteger(UInt8(0x99))
        let outer = writer.reserveInt32()
        writer.writeInt16String("abc")
        let inner = writer.reserveInt32()
        writer.writeBytes([1, 2, 3, 4, 5])
        writer.patchLengthInt32(at: inner)
        let empty = writer.reserveInt32()
        writer.patchLengthInt32(at: empty)
        writer.patchLengthInt32(at: outer)

        #expect(outer == 1 && inner == 10 && empty == 19)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8() == 0x99)
        let outerLength = Int(try reader.readInt32())
        #expect(outerLength == 5 + 4 + 5 + 4)
        #expect(outerLength == reader.readableBytes)
        #expect(try reader.readInt16String() == "abc")
        #expect(try reader.readInt32Bytes() == [1, 2, 3, 4, 5])
        #expect(try reader.readInt32Bytes() == [])
        #expect(reader.isAtEnd)
    }

    /// Patching must not change what surrounds the patched field.
    @Test func randomBackpatchesTouchOnlyTheirField() {
        let seed = BytesTestRandom.seed(0x5EED_0201)
        var random = BytesTestRandom(seed: seed)
        for round in 0..<500 {
            let original = random.bytes(Int.random(in: 8...40, using: &random))
            var writer = ByteWriter()
            writer.writeBytes(original)
            let offset = Int.random(in: 0...(original.count - 8), using: &random)
            let value: UInt64 = random.edgy()
            writer.setInteger(value, at: offset)
            var expected = original
            for index in 0..<8 {
                expected[offset + index] = UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64(index)))
            }
            #expect(writer.bytes == expected, "seed \(seed) round \(round)")
        }
    }
}

@Suite struct ByteWriterGrowthTests {
    /// Reserving a little per item must not reallocate per item: capacity at least doubles.
    @Test func reservingPerItemGrowsGeometrically() {
        var writer = ByteWriter(capacity: 16)
        var reallocations = 0
        var capacity = writer.bytes.capacity
        for _ in 0..<10_000 {
            writer.reserve(10)
            writer.writeBytes([UInt8](repeating: 1, count: 10))
            if writer.bytes.capacity != capacity {
                reallocations += 1
                capacity = writer.bytes.capacity
            }
        }
        #expect(writer.count == 100_000)
        #expect(reallocations < 20, "\(reallocations) reallocations for 10,000 small reserves")
    }
}

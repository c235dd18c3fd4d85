import Testing
import Wire

@testable import Query

@Suite struct ExecValueSectionTests {
    /// A counted table with values of every length class (empty, inline, arena) in two slots.
    static func table() -> (SlotValueTable, [(slot: Int32, bytes: [UInt8], count: Int64)]) {
        var table = SlotValueTable(counted: true)
        let values: [(slot: Int32, bytes: [UInt8], count: Int64)] = [
            (0, [], 3), (0, Array("u000123".utf8), 1), (1, Array("10.20.30.40".utf8), 200),
            (1, [UInt8](repeating: 0xC3, count: 300), 70_000),
        ]
        for value in values {
            value.bytes.withUnsafeBytes { bytes in
                _ = table.insert(slot: value.slot, bytes: bytes, hash: StableHash.hash(bytes), count: value.count)
            }
        }
        return (table, values)
    }

    @Test func aSectionReadsBackEveryValueAndCount() throws {
        let (table, values) = Self.table()
        var writer = ByteWriter()
        ValueSection.write(Array(0..<Int32(values.count)), of: table, into: &writer)
        var reader = ByteReader(writer.bytes)
        var read: [([UInt8], Int64)] = []
        try ValueSection.read(&reader, counted: true) { range, count in
            read.append((Array(writer.bytes[range]), count))
            return nil
        }
        #expect(reader.isAtEnd)
        #expect(read.map(\.0) == values.map(\.bytes))
        #expect(read.map(\.1) == values.map(\.count))
    }

    @Test func aSectionThatLiesAboutItsValuesIsATypedError() throws {
        let (table, values) = Self.table()
        var writer = ByteWriter()
        ValueSection.write(Array(0..<Int32(values.count)), of: table, into: &writer)
        let good = writer.bytes
        // One value more than the section holds, and one fewer (which leaves bytes over).
        for count in [values.count + 1, values.count - 1] {
            var bytes = good
            bytes[0] = UInt8(count)
            var reader = ByteReader(bytes)
            #expect(throws: DecodeError.self) { try ValueSection.read(&reader, counted: true) { _, _ in nil } }
        }
        // A section cut short of its declared size.
        var reader = ByteReader(Array(good.dropLast()))
        #expect(throws: DecodeError.self) { try ValueSection.read(&reader, counted: true) { _, _ in nil } }
        // A caller's refusal of a value stops the read with its error.
        reader = ByteReader(good)
        #expect(throws: DecodeError.self) {
            try ValueSection.read(&reader, counted: true) { range, _ in .invalidValue("refused", at: range.lowerBound) }
        }
    }
}

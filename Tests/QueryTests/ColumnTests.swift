import Testing

@testable import Query

@Suite struct ColumnTests {
    @Test func nullMaskAppearsOnlyWhenANullArrives() {
        var column = Column(.int64)
        column.append(int64: 1)
        column.append(int64: 2)
        #expect(!column.hasNulls)
        column.appendNull()
        column.append(int64: 4)
        #expect(column.count == 4)
        #expect(column.nulls == [false, false, true, false])
        #expect((0..<4).map(column.value(at:)) == [.int64(1), .int64(2), .null, .int64(4)])
    }

    @Test func stringsPackEndToEnd() {
        let column = Column(.string, values: [.string("ab"), .null, .string(""), .string("héllo")])
        #expect(column.strings.bytes == Array("abhéllo".utf8))
        #expect(column.strings.offsets == [0, 2, 2, 2, 8])
        #expect(column.value(at: 3) == .string("héllo"))
        #expect(column.value(at: 1) == .null)
    }

    @Test func valuesThatDoNotFitAreRefused() {
        var column = Column(.timestamp)
        let fitted = column.append(.int64(5))
        let refused = column.append(.string("x"))
        #expect(fitted && !refused)
        #expect(column.count == 1)
    }

    @Test func schemaLooksUpNamesCaseInsensitively() {
        let schema = Schema([Field("ts", .timestamp), Field("User_Id", .string)])
        #expect(schema.index(of: "user_id") == 1)
        #expect(schema.index(of: "nope") == nil)
    }

    @Test func sourceRecordsIndexValuesInOneBuffer() {
        let records = SourceRecords(partition: 2, firstOffset: 10, values: [Array("ab".utf8), nil, []])
        #expect(records.count == 3)
        #expect(records.offsets == [10, 11, 12])
        #expect(records.value(at: 0) == Array("ab".utf8))
        #expect(records.value(at: 1) == nil)
        #expect(records.value(at: 2) == [])
    }
}

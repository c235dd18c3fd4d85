import Testing
import Wire

@testable import Broker

/// Fetched records are split and walked where they sit inside a response frame: batch ranges are
/// positions in the frame, and nothing past the partition's own bytes is ever taken for its data.
@Suite struct RecordsFetchedRangeTests {
    static let first = makeBatch(count: 3, valueBytes: 20, baseOffset: 0)
    static let second = makeBatch(count: 4, valueBytes: 9, baseOffset: 3)

    @Test func batchRangesArePositionsInTheFrame() throws {
        let records = Self.first + Self.second
        let frame = [UInt8](repeating: 7, count: 55) + records + [UInt8](repeating: 9, count: 13)
        let batches = try RecordBatchSplitter.splitFetched(frame, range: 55..<(55 + records.count), verifyCRC: true)
        #expect(batches.map(\.range) == [55..<(55 + Self.first.count), (55 + Self.first.count)..<(55 + records.count)])
        #expect(batches.map(\.header.baseOffset) == [0, 3])
        #expect(batches.map { Array(frame[$0.range]) } == [Self.first, Self.second])
    }

    /// The next partition's bytes may look like the rest of a cut batch; they are not taken for it.
    @Test func aBatchCutAtTheRangeEndIsDroppedEvenWhenTheFrameGoesOn() throws {
        let whole = Self.first + Self.second
        for cut in [1, 16, 17, 60, 61, 62, Self.second.count - 1] {
            let records = Self.first + Self.second[..<cut]
            // The frame continues with exactly the missing bytes, as a neighbour's data could.
            let frame = [0, 0] + whole
            let batches = try RecordBatchSplitter.splitFetched(frame, range: 2..<(2 + records.count))
            #expect(batches.map(\.header.baseOffset) == [0], "cut at \(cut)")
            let fetched = try FetchedPartition(
                topic: "t", partition: 0, fetchOffset: 0, highWatermark: 7,
                records: SharedBytes(frame, range: 2..<(2 + records.count)))
            #expect(fetched.nextOffset == 3 && fetched.batches.count == 1, "cut at \(cut)")
            #expect(try fetched.decodedRecords().map(\.offset) == [0, 1, 2])
        }
    }

    /// Views, keys, values and headers of records inside a frame read the frame where they sit.
    @Test func viewsOfAFetchInsideAFrameReadTheRightBytes() throws {
        var builder = RecordBatchBuilder()
        let values = (0..<6).map { Array("value \($0)".utf8) }
        for (index, value) in values.enumerated() {
            builder.append(
                timestampMs: 5, key: [UInt8(index)], value: value, headers: [RecordHeader("h", [UInt8(index)])])
        }
        let records = builder.finish(baseOffset: 20)
        let frame = Array("a frame header".utf8) + records + Array("and another partition after it".utf8)
        let start = 14
        let fetched = try FetchedPartition(
            topic: "t", partition: 1, fetchOffset: 22, highWatermark: 26,
            records: SharedBytes(frame, range: start..<(start + records.count)), verifyCRC: true)
        #expect(fetched.buffer == frame && fetched.records.array == records)
        let views = try fetched.recordViews()
        #expect(views.map(\.offset) == Array(22..<26))
        for view in views {
            let index = Int(view.offset - 20)
            #expect(fetched.value(of: view).map(Array.init) == values[index])
            #expect(fetched.key(of: view).map(Array.init) == [UInt8(index)])
            #expect(try fetched.headers(of: view) == [RecordHeader("h", [UInt8(index)])])
        }
        #expect(try fetched.decodedRecords().map(\.value) == values[2...].map { Optional($0) })
    }

    /// A CRC check covers the batch where it sits in the frame.
    @Test func aCorruptBatchInsideAFrameFailsItsCRC() throws {
        var frame = [1, 2, 3] + Self.first + [4, 5]
        frame[3 + Self.first.count - 1] ^= 0xFF
        #expect(throws: KafkaClientError.self) {
            try FetchedPartition(
                topic: "t", partition: 0, fetchOffset: 0, highWatermark: 3,
                records: SharedBytes(frame, range: 3..<(3 + Self.first.count)), verifyCRC: true)
        }
        // Without the check the framing is still sound.
        let unchecked = try FetchedPartition(
            topic: "t", partition: 0, fetchOffset: 0, highWatermark: 3,
            records: SharedBytes(frame, range: 3..<(3 + Self.first.count)))
        #expect(unchecked.batches.count == 1)
    }

    @Test func sharedBytesCompareByContent() {
        let frame: [UInt8] = [9, 1, 2, 3, 9]
        #expect(SharedBytes(frame, range: 1..<4) == [1, 2, 3])
        #expect(SharedBytes(frame, range: 1..<4) != SharedBytes(frame, range: 0..<3))
        #expect(SharedBytes(frame, range: 1..<4).array == [1, 2, 3])
        #expect(SharedBytes(frame, range: 1..<4)[2..<4] == [2, 3])
        #expect(SharedBytes(frame, range: 2..<2).isEmpty)
    }

    /// Batches of plain records (the fast scan) and of records with headers (the checked path).
    static func mixedBatches() -> [UInt8] {
        var plain = RecordBatchBuilder()
        for index in 0..<5 { plain.append(timestampMs: 100 + Int64(index), key: nil, value: Array("p\(index)".utf8)) }
        var mixed = RecordBatchBuilder()
        for index in 0..<6 {
            let headers = index % 2 == 0 ? [RecordHeader("h", [UInt8(index)])] : []
            mixed.append(
                timestampMs: 200, key: [UInt8(index)], value: index == 3 ? nil : [UInt8(index)], headers: headers)
        }
        return plain.finish(baseOffset: 0) + mixed.finish(baseOffset: 5)
    }

    /// Walking a batch at a time gives exactly the iterator's records, from any fetch offset, and
    /// stops where the caller says.
    @Test func forEachRecordGivesTheIteratorsRecords() throws {
        let records = Self.mixedBatches()
        let frame = [UInt8](repeating: 1, count: 9) + records + [9, 9]
        for fetchOffset in Int64(0)...11 {
            let fetched = try FetchedPartition(
                topic: "t", partition: 0, fetchOffset: fetchOffset, highWatermark: 11,
                records: SharedBytes(frame, range: 9..<(9 + records.count)))
            var iterated: [RecordView] = []
            var iterator = fetched.makeRecordIterator()
            while let view = try iterator.next() { iterated.append(view) }
            #expect(iterated.map(\.offset) == Array(fetchOffset..<11))
            var walked: [RecordView] = []
            try fetched.forEachRecord { view in
                walked.append(view)
                return true
            }
            #expect(walked == iterated, "from offset \(fetchOffset)")
            var firstThree: [RecordView] = []
            try fetched.forEachRecord { view in
                firstThree.append(view)
                return firstThree.count < 3
            }
            #expect(firstThree == Array(iterated.prefix(3)), "stopping, from offset \(fetchOffset)")
        }
    }

    /// A record whose length runs past its batch is a typed error on the batch-at-a-time walk too.
    @Test func forEachRecordRefusesAMalformedRecord() throws {
        var builder = RecordBatchBuilder()
        for index in 0..<3 { builder.append(timestampMs: 1, key: nil, value: [UInt8](repeating: 7, count: 10 + index)) }
        var batch = builder.finish(baseOffset: 0)
        // The second record's length varint (zig-zag) now claims 60 bytes: past the batch's end.
        let secondAt = RecordBatchHeader.size + 1 + Int(batch[RecordBatchHeader.size] >> 1)
        batch[secondAt] = 120
        let fetched = try FetchedPartition(
            topic: "t", partition: 2, fetchOffset: 0, highWatermark: 3, records: SharedBytes(batch))
        var seen: [Int64] = []
        #expect(throws: KafkaClientError.self) {
            try fetched.forEachRecord { view in
                seen.append(view.offset)
                return true
            }
        }
        #expect(seen == [0])
    }
}

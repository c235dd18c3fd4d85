import Foundation
import Testing
import Wire

@testable import Broker

/// The pieces under the server: topic names, the topic list file, producer ids, producer state,
/// and the chunked Fetch encoder.
@Suite(.dedicatedThread) struct TopicsUnitTests {
    @Test func topicNamesFollowKafkasRules() {
        for good in ["a", "website-logs", "A.b_c-9", String(repeating: "z", count: 249), "__internal_like"] {
            #expect(TopicName.isValid(good), "\(good)")
        }
        for bad in [
            "", ".", "..", "has space", "slash/", "ünïcode", String(repeating: "z", count: 250), "__consumer_offsets",
        ] {
            #expect(!TopicName.isValid(bad), "\(bad)")
        }
    }

    @Test func topicListRoundTripsAndRefusesDamage() throws {
        let topics = [
            TopicRecord(name: "a", partitionCount: 3, createdMs: 1),
            TopicRecord(name: "b.c", partitionCount: 1, createdMs: 2),
        ]
        let bytes = TopicMetadataFile.encode(topics)
        #expect(TopicMetadataFile.decode(bytes) == .topics(topics))
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0x40
            #expect(TopicMetadataFile.decode(damaged) != .topics(topics), "flip at \(index)")
        }
        for count in 0..<bytes.count {
            #expect(TopicMetadataFile.decode(Array(bytes.prefix(count))) != .topics(topics), "cut at \(count)")
        }
        var future = bytes
        future[5] = 9
        let body = future.count - 4
        let crc = CRC32C.checksum(future, range: 0..<body)
        future.replaceSubrange(body..., with: withUnsafeBytes(of: crc.bigEndian) { Array($0) })
        guard case .invalid(let reason) = TopicMetadataFile.decode(future) else {
            Issue.record("a newer format version was accepted")
            return
        }
        #expect(reason.contains("format version"))
    }

    @Test func producerIdsResumeAfterTheReservedBlock() throws {
        try withDataDirectory { directory in
            try Posix.mkdirs(directory)
            let first = try ProducerIdAllocator(dataDirectory: directory, floor: 0, blockSize: 10)
            let handed = try (0..<15).map { _ in try first.next() }
            #expect(handed == Array(0..<15))
            // A restart (or kill -9) skips what is left of the reserved block, never reusing an id.
            let second = try ProducerIdAllocator(dataDirectory: directory, floor: 0, blockSize: 10)
            #expect(try second.next() == 20)
            let floored = try ProducerIdAllocator(dataDirectory: directory, floor: 500, blockSize: 10)
            #expect(try floored.next() == 500)
            try Posix.writeFileAtomically(directory + "/" + ProducerIdAllocator.fileName, [1, 2, 3])
            #expect(throws: TopicStoreError.self) { try ProducerIdAllocator(dataDirectory: directory, floor: 0) }
        }
    }

    private func header(producerId: Int64 = 1, epoch: Int16 = 0, sequence: Int32, count: Int32 = 1) -> RecordBatchHeader
    {
        RecordBatchHeader(
            baseOffset: 0, batchLength: 49, partitionLeaderEpoch: 0, magic: 2, crc: 0, attributes: 0,
            lastOffsetDelta: count - 1, baseTimestamp: 0, maxTimestamp: 0, producerId: producerId,
            producerEpoch: epoch, baseSequence: sequence, recordCount: count)
    }

    @Test func producerStateRemembersFiveBatches() {
        var table = ProducerStateTable()
        var offset: Int64 = 0
        for batch in 0..<7 {
            let next = header(sequence: Int32(batch * 2), count: 2)
            #expect(table.verdict(next) == .append)
            table.record(next, firstOffset: offset)
            offset += 2
        }
        // Batches 2...6 are remembered; 0 and 1 have fallen out and are now simply out of order.
        #expect(
            table.verdict(header(sequence: 4, count: 2))
                == .duplicate(.init(firstSequence: 4, lastSequence: 5, firstOffset: 4, lastOffset: 5)))
        #expect(
            table.verdict(header(sequence: 12, count: 2))
                == .duplicate(.init(firstSequence: 12, lastSequence: 13, firstOffset: 12, lastOffset: 13)))
        guard case .reject(.outOfOrderSequenceNumber, _) = table.verdict(header(sequence: 0, count: 2)) else {
            Issue.record("a forgotten batch was not refused")
            return
        }
        #expect(table.verdict(header(sequence: 14)) == .append)
        #expect(
            table.verdict(header(sequence: 99, count: 1, producerId: 2)) == .append, "unknown producers start anywhere")
        #expect(table.verdict(header(producerId: -1, sequence: -1)) == .append, "non-idempotent batches pass")
    }

    private func header(sequence: Int32, count: Int32, producerId: Int64) -> RecordBatchHeader {
        header(producerId: producerId, sequence: sequence, count: count)
    }

    @Test func sequencesWrapPastInt32Max() {
        #expect(ProducerStateTable.increment(Int32.max, 1) == 0)
        #expect(ProducerStateTable.increment(Int32.max - 1, 3) == 1)
        var table = ProducerStateTable()
        table.record(header(sequence: Int32.max - 1, count: 2), firstOffset: 0)
        #expect(table.verdict(header(sequence: 0)) == .append)
        guard case .reject(.outOfOrderSequenceNumber, _) = table.verdict(header(sequence: 1)) else {
            Issue.record("a gap after the wrap was not refused")
            return
        }
    }

    @Test func producerStateForgetsTheLongestIdleProducerAtItsLimit() {
        var table = ProducerStateTable(producersMax: 2)
        table.record(header(producerId: 1, sequence: 0), firstOffset: 0)
        table.record(header(producerId: 2, sequence: 0), firstOffset: 1)
        table.record(header(producerId: 1, sequence: 1), firstOffset: 2)
        table.record(header(producerId: 3, sequence: 0), firstOffset: 3)
        #expect(Set(table.entries.keys) == [1, 3])
    }

    /// The chunked Fetch frame is byte for byte `KafkaFrame.response`, whatever the record sizes.
    @Test func chunkedFetchFramesMatchTheCodec() throws {
        let small = makeBatch(count: 2)
        let large = makeBatch(count: 100)
        for version in ApiKey.fetch.advertisedVersions {
            let response = FetchResponse(
                throttleTimeMs: 7, sessionId: 0,
                topics: [
                    .init(
                        topic: "t",
                        partitions: [
                            .init(
                                partitionIndex: 0, highWatermark: 9, lastStableOffset: 9, logStartOffset: 0,
                                records: SharedBytes(large)),
                            .init(partitionIndex: 1, errorCode: .offsetOutOfRange, highWatermark: 3, records: []),
                            .init(
                                partitionIndex: 2, highWatermark: 2, lastStableOffset: 2, records: SharedBytes(small)),
                        ]),
                    .init(topic: "u", partitions: []),
                ])
            let chunks = response.frameChunks(version: version, correlationId: 99)
            #expect(try wireBytes(chunks) == KafkaFrame.response(response, version: version, correlationId: 99))
            let travelsAlone = chunks.contains { if case .bytes(let bytes) = $0 { bytes == large } else { false } }
            #expect(travelsAlone, "large record blobs travel as their own chunk")
        }
    }
}

import Testing
import Wire

@testable import Broker

/// Produce then Fetch through a live socket: batches come back as sent, with offsets assigned.
@Suite(.dedicatedThread) struct ServerProduceFetchTests {
    /// At every Produce and Fetch version the broker serves, a batch comes back byte for byte with
    /// only its baseOffset set, and offsets continue across versions.
    @Test func producedBatchesComeBackVerbatimAtEveryVersion() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            var expected: [[UInt8]] = []
            var base: Int64 = 0
            for (number, version) in (Int16(3)...8).enumerated() {
                let batch = makeBatch(count: 2 + number, firstTimestampMs: 1_700_000_000_000 + Int64(number))
                let answer = try client.produce("versions", batch, version: version)
                #expect(answer.errorCode == .noError, "Produce v\(version)")
                #expect(answer.baseOffset == base, "Produce v\(version)")
                expected.append(stored(batch, at: base))
                base += Int64(2 + number)
            }
            for version in Int16(4)...11 {
                let fetched = try client.fetch("versions", offset: 0, version: version)
                #expect(fetched.errorCode == .noError)
                #expect(fetched.records?.array == expected.flatMap { $0 }, "Fetch v\(version)")
                #expect(fetched.highWatermark == 2 + 3 + 4 + 5 + 6 + 7)
                #expect(fetched.lastStableOffset == fetched.highWatermark, "G6: LSO = HWM")
                if version >= 5 { #expect(fetched.logStartOffset == 0) }
            }
        }
    }

    /// A fetch from the middle of a batch returns the whole batch holding that offset (G7).
    @Test func fetchStartsAtTheBatchHoldingTheOffset() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let first = makeBatch(count: 5)
            let second = makeBatch(count: 5, firstTimestampMs: 1_700_000_000_100)
            #expect(try client.produce("mid", first).baseOffset == 0)
            #expect(try client.produce("mid", second).baseOffset == 5)
            #expect(try client.fetch("mid", offset: 3).records?.array == stored(first, at: 0) + stored(second, at: 5))
            #expect(try client.fetch("mid", offset: 7).records?.array == stored(second, at: 5))
        }
    }

    /// At the high watermark a fetch is empty with error 0 and records non-null (G6); past it, and
    /// below the log start, OFFSET_OUT_OF_RANGE.
    @Test func fetchAtAndBeyondTheEnd() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            _ = try client.produce("ends", makeBatch(count: 4))
            let atEnd = try client.fetch("ends", offset: 4)
            #expect(atEnd.errorCode == .noError)
            #expect(atEnd.records == [])
            #expect(atEnd.highWatermark == 4)
            let beyond = try client.fetch("ends", offset: 5)
            #expect(beyond.errorCode == .offsetOutOfRange)
            #expect(beyond.highWatermark == 4)
            #expect(try client.fetch("ends", offset: -1).errorCode == .offsetOutOfRange)
        }
    }

    /// The records field of an empty answer is written as length 0, never -1 (G6), on the wire itself.
    @Test func emptyRecordsAreEncodedAsLengthZero() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            _ = try client.metadata(["empty"])
            let correlationId = try client.send(fetchRequest("empty", offset: 0, maxWaitMs: 0), version: 11)
            let frame = try client.readFrame()
            #expect(try KafkaResponseHeader.peekCorrelationId(frame) == correlationId)
            // The frame ends with preferred_read_replica (-1) then the records length (0).
            #expect(Array(frame.suffix(8)) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        }
    }

    /// A batch larger than max_bytes and partition_max_bytes still comes back whole (KIP-74), and
    /// later batches that would exceed the limits wait for the next fetch.
    @Test func oneBatchAlwaysComesBackEvenPastTheLimits() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let big = makeBatch(count: 50, valueBytes: 200)
            let small = makeBatch(count: 1, firstTimestampMs: 1_700_000_001_000)
            _ = try client.produce("limits", big)
            _ = try client.produce("limits", small)
            let fetched = try client.fetch("limits", offset: 0, maxBytes: 100, partitionMaxBytes: 100)
            #expect(fetched.records?.array == stored(big, at: 0))
            let both = try client.fetch("limits", offset: 0, maxBytes: 1 << 20, partitionMaxBytes: 1 << 20)
            #expect(both.records?.array == stored(big, at: 0) + stored(small, at: 50))
        }
    }

    /// ListOffsets: earliest, latest, and the first batch whose newest timestamp reaches a time.
    @Test func listOffsetsEarliestLatestAndByTimestamp() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            _ = try client.produce("times", makeBatch(count: 3, firstTimestampMs: 10_000))
            _ = try client.produce("times", makeBatch(count: 3, firstTimestampMs: 20_000))
            _ = try client.produce("times", makeBatch(count: 3, firstTimestampMs: 30_000))
            #expect(try client.listOffset("times", timestamp: -2).offset == 0)
            #expect(try client.listOffset("times", timestamp: -1).offset == 9)
            for version in Int16(1)...5 {
                let found = try client.listOffset("times", timestamp: 20_001, version: version)
                #expect(found.offset == 3, "ListOffsets v\(version)")
                #expect(found.timestamp == 20_002)
            }
            let none = try client.listOffset("times", timestamp: 99_999)
            #expect(none.errorCode == .noError)
            #expect(none.offset == -1)
            #expect(try client.listOffset("absent", timestamp: -1).errorCode == .unknownTopicOrPartition)
        }
    }

    /// Produce errors: a partition the topic lacks, a corrupt batch, invalid acks; a Produce v2
    /// (legacy message sets, G1) closes the connection.
    @Test func produceRefusals() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            #expect(
                try client.produce("refusals", partition: 7, makeBatch(count: 1)).errorCode == .unknownTopicOrPartition)
            var corrupt = makeBatch(count: 2)
            corrupt[corrupt.count - 1] ^= 0xFF
            #expect(try client.produce("refusals", corrupt).errorCode == .corruptMessage)
            #expect(try client.produce("refusals", makeBatch(count: 1), acks: 2).errorCode == .invalidRequiredAcks)
            #expect(try client.listOffset("refusals", timestamp: -1).offset == 0)
            #expect(try client.produce("bad name!", makeBatch(count: 1)).errorCode == .invalidTopic)
            let legacy = ProduceRequest(acks: 1, timeoutMs: 1000, topics: [])
            try client.send(legacy, version: 2)
            #expect(try client.closesWithoutReply())
        }
    }

    /// acks=0 gets no response at all (G9): the next response on the connection is the next request's.
    @Test func acksZeroGetsNoReply() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let request = ProduceRequest(
                acks: 0, timeoutMs: 1000,
                topics: [.init(name: "silent", partitions: [.init(index: 0, records: makeBatch(count: 4))])])
            try client.send(request, version: 8)
            let metadataId = try client.send(MetadataRequest(topics: ["silent"]), version: 8)
            let metadata = try client.receive(MetadataResponse.self, version: 8, correlationId: metadataId)
            #expect(metadata.topics.first?.errorCode == .noError)
            #expect(try client.listOffset("silent", timestamp: -1).offset == 4)
        }
    }

    /// The traffic counters see what went in and out.
    @Test func countersTrackTopicTraffic() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let batch = makeBatch(count: 10)
            _ = try client.produce("counted", batch)
            _ = try client.fetch("counted", offset: 0)
            let metrics = broker.metrics
            let traffic = try #require(metrics.topics["counted"])
            #expect(traffic.bytesIn == Int64(batch.count))
            #expect(traffic.recordsIn == 10)
            #expect(traffic.bytesOut == Int64(batch.count))
            #expect(traffic.recordsOut == 10)
            #expect(metrics.requestsByApi[.produce] == 1)
            #expect(metrics.requestsByApi[.fetch] == 1)
            #expect(metrics.openConnections == 1)
            #expect(metrics.acceptedConnections == 1)
        }
    }
}

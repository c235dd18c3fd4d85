import Synchronization
import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#endif

/// Fetches whose records (over 4 KiB) the broker sends with sendfile, through a live socket.
@Suite(.dedicatedThread) struct ServerSendfileTests {
    /// A batch of about 10 KB, well past the size sent inline; `number` varies its timestamps.
    static func bigBatch(_ number: Int) -> [UInt8] {
        makeBatch(count: 50, firstTimestampMs: 1_700_000_000_000 + Int64(number) * 100, valueBytes: 200)
    }

    /// Produces `count` big batches one by one to `topic`/`partition`; returns them as stored.
    static func produceBig(_ client: TestKafkaClient, _ topic: String, partition: Int32 = 0, count: Int) throws
        -> [[UInt8]]
    {
        var batches: [[UInt8]] = []
        var offset: Int64 = 0
        for number in 0..<count {
            let batch = bigBatch(number)
            let answer = try client.produce(topic, partition: partition, batch)
            #expect(answer.errorCode == .noError && answer.baseOffset == offset)
            batches.append(stored(batch, at: offset))
            offset += 50
        }
        return batches
    }

    /// At every version, the records of a fetch are exactly the batches as stored and exactly the
    /// bytes of the segment file, read back with pread; a fetch from inside a batch starts with it.
    @Test func aFetchSentWithSendfileCarriesTheSegmentsBytes() throws {
        try withDataDirectory { directory in
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                let batches = try Self.produceBig(client, "zero-copy", count: 6)
                let segment = try Posix.readFile(segmentPath(directory + "/zero-copy-0", 0))
                #expect(segment == batches.flatMap { $0 })
                for version in ApiKey.fetch.advertisedVersions {
                    let fetched = try client.fetch("zero-copy", offset: 0, version: version)
                    #expect(fetched.errorCode == .noError && fetched.highWatermark == 300)
                    #expect(fetched.records?.array == segment, "Fetch v\(version)")
                }
                let middle = try client.fetch("zero-copy", offset: 120)
                #expect(middle.records?.array == batches[2...].flatMap { $0 })
                let traffic = try #require(broker.metrics.topics["zero-copy"])
                let fetches = ApiKey.fetch.advertisedVersions.count
                #expect(traffic.bytesOut == Int64(fetches * segment.count + batches[2...].flatMap { $0 }.count))
                #expect(traffic.recordsOut == Int64(fetches * 300 + 200))
            }
        }
    }

    /// partition_max_bytes and max_bytes cut at batch boundaries as before: whole batches only, and
    /// the first batch of the response always (KIP-74), a later partition's only if it fits.
    @Test func limitsCutAtBatchBoundaries() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let zero = try Self.produceBig(client, "limited", partition: 0, count: 3)
            let one = try Self.produceBig(client, "limited", partition: 1, count: 3)
            let size = zero[0].count
            let twoAndAHalf = Int32(size * 5 / 2)
            #expect(
                try client.fetch("limited", offset: 0, partitionMaxBytes: twoAndAHalf).records?.array
                    == zero[0...1].flatMap { $0 })
            #expect(try client.fetch("limited", offset: 0, partitionMaxBytes: 1).records?.array == zero[0])
            #expect(try client.fetch("limited", offset: 0, maxBytes: 1, partitionMaxBytes: 1).records?.array == zero[0])

            func both(maxBytes: Int, partitionMaxBytes: Int) throws -> [[UInt8]?] {
                let request = FetchRequest(
                    maxWaitMs: 0, minBytes: 1, maxBytes: Int32(maxBytes),
                    topics: [
                        .init(
                            topic: "limited",
                            partitions: [0, 1].map {
                                .init(partition: $0, fetchOffset: 0, partitionMaxBytes: Int32(partitionMaxBytes))
                            })
                    ])
                let response = try client.call(request, version: 11)
                return try #require(response.topics.first).partitions.map { $0.records?.array }
            }
            // 1.5 batches in all: the first partition's first batch, and nothing of the second's.
            #expect(try both(maxBytes: size * 3 / 2, partitionMaxBytes: 1 << 20) == [zero[0], []])
            // 3.5 batches in all, 2.5 per partition: two of the first, then the one that still fits.
            #expect(
                try both(maxBytes: size * 7 / 2, partitionMaxBytes: size * 5 / 2)
                    == [zero[0...1].flatMap { $0 }, one[0]])
            #expect(
                try both(maxBytes: 1 << 20, partitionMaxBytes: 1 << 20) == [zero.flatMap { $0 }, one.flatMap { $0 }])
        }
    }

    /// A client that asks for 8 MB and reads none of it loses its connection after the stall timeout,
    /// with the reason logged; the broker thread is free again.
    @Test func aClientThatStopsReadingAFetchIsCutOff() throws {
        let events = Mutex<[String]>([])
        try withBroker({ config in
            config.responseStallTimeoutMs = 300
            config.eventLog = { line in events.withLock { $0.append(line) } }
        }) { broker in
            let client = try TestKafkaClient(broker)
            client.socket.setBufferSizes(bytes: 16 << 10)
            for number in 0..<8 {
                let batch = makeBatch(count: 1000, firstTimestampMs: Int64(number), valueBytes: 1000)
                #expect(try client.produce("stalled", batch).errorCode == .noError)
            }
            try client.send(fetchRequest("stalled", offset: 0, maxWaitMs: 0, partitionMaxBytes: 16 << 20), version: 11)
            #expect(eventually { broker.metrics.openConnections == 0 })
            #expect(events.withLock { $0.contains { $0.contains("stopped reading") } })
        }
    }
}

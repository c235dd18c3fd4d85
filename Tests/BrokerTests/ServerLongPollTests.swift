import Foundation
import Testing
import Wire

@testable import Broker

/// Long-polling Fetch (G7) and per-connection response order (G8) on live sockets.
@Suite(.dedicatedThread) struct ServerLongPollTests {
    /// A fetch parked at the end with a long max_wait returns the records another connection
    /// appends. The fetch waits up to 120 s, past the client's 30 s read timeout, so only a wake-up
    /// on append can answer it in time.
    @Test func parkedFetchWakesOnAppend() throws {
        try withBroker { broker in
            let consumer = try TestKafkaClient(broker)
            let producer = try TestKafkaClient(broker)
            _ = try consumer.metadata(["wake"])
            let fetchId = try consumer.send(fetchRequest("wake", offset: 0, maxWaitMs: 120_000), version: 11)
            // Append only once the fetch is asleep, so nothing but the wake-up can answer it.
            #expect(eventually { broker.core.appendSignal.sleepingCount == 1 })
            let batch = makeBatch(count: 3)
            #expect(try producer.produce("wake", batch).baseOffset == 0)
            let response = try consumer.receive(FetchResponse.self, version: 11, correlationId: fetchId)
            #expect(response.topics.first?.partitions.first?.records?.array == stored(batch, at: 0))
        }
    }

    /// With nothing to return, a fetch waits for max_wait_ms before answering empty.
    @Test func emptyFetchHonoursMaxWait() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            _ = try client.metadata(["idle"])
            let startNs = MonotonicClock.nanoseconds()
            let answer = try client.fetch("idle", offset: 0, maxWaitMs: 300)
            let elapsedMs = (MonotonicClock.nanoseconds() - startNs) / 1_000_000
            #expect(answer.errorCode == .noError)
            #expect(answer.records == [])
            #expect(elapsedMs >= 290, "answered after \(elapsedMs) ms")
        }
    }

    /// min_bytes above what is available keeps a fetch waiting through small appends until enough arrives.
    @Test func minBytesHoldsTheFetchUntilEnoughArrived() throws {
        try withBroker { broker in
            let consumer = try TestKafkaClient(broker)
            let producer = try TestKafkaClient(broker)
            let first = makeBatch(count: 1, valueBytes: 10)
            _ = try producer.produce("enough", first)
            let fetchId = try consumer.send(
                fetchRequest("enough", offset: 0, maxWaitMs: 120_000, minBytes: Int32(first.count + 500)), version: 11)
            #expect(eventually { broker.core.appendSignal.sleepingCount == 1 })
            let second = makeBatch(count: 5, firstTimestampMs: 1_700_000_000_500, valueBytes: 200)
            _ = try producer.produce("enough", second)
            let response = try consumer.receive(FetchResponse.self, version: 11, correlationId: fetchId)
            #expect(
                response.topics.first?.partitions.first?.records?.array == stored(first, at: 0) + stored(second, at: 1))
        }
    }

    /// Requests pipelined behind a long-polling fetch are answered after it, in request order, while
    /// another connection is served at once.
    @Test func responsesStayInOrderBehindALongPoll() throws {
        try withBroker { broker in
            let pipelined = try TestKafkaClient(broker)
            let other = try TestKafkaClient(broker)
            _ = try other.metadata(["ordered"])
            let fetchId = try pipelined.send(fetchRequest("ordered", offset: 0, maxWaitMs: 120_000), version: 11)
            let metadataId = try pipelined.send(MetadataRequest(topics: ["ordered"]), version: 8)
            let versionsId = try pipelined.send(ApiVersionsRequest(), version: 2)
            #expect(eventually { broker.core.appendSignal.sleepingCount == 1 })
            // The other connection is answered while the pipelined one waits on its fetch.
            let metadata = try other.metadata(nil)
            #expect(metadata.topics.map(\.name) == ["ordered"])
            // Only this append lets the fetch, and everything queued behind it, finish.
            let batch = makeBatch(count: 2)
            _ = try other.produce("ordered", batch)
            let fetch = try pipelined.receive(FetchResponse.self, version: 11, correlationId: fetchId)
            #expect(fetch.topics.first?.partitions.first?.records?.array == stored(batch, at: 0))
            _ = try pipelined.receive(MetadataResponse.self, version: 8, correlationId: metadataId)
            _ = try pipelined.receive(ApiVersionsResponse.self, version: 2, correlationId: versionsId)
        }
    }

    /// Many pipelined produce requests on one connection get their answers in order, offsets rising.
    @Test func pipelinedProducesAreAnsweredInOrder() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            var ids: [Int32] = []
            for number in 0..<50 {
                let request = ProduceRequest(
                    acks: 1, timeoutMs: 1000,
                    topics: [
                        .init(
                            name: "pipeline",
                            partitions: [.init(index: 0, records: makeBatch(count: 2, firstTimestampMs: Int64(number)))]
                        )
                    ])
                ids.append(try client.send(request, version: 8))
            }
            for (number, id) in ids.enumerated() {
                let response = try client.receive(ProduceResponse.self, version: 8, correlationId: id)
                #expect(response.topics.first?.partitions.first?.baseOffset == Int64(2 * number))
            }
        }
    }

    /// Stopping the broker answers a parked fetch at once instead of leaving it for max_wait.
    @Test func stopReleasesParkedFetches() throws {
        try withDataDirectory { directory in
            let broker = try KafkaBroker.start(testBrokerConfig(directory))
            let client = try TestKafkaClient(broker)
            _ = try client.metadata(["parked"])
            try client.send(fetchRequest("parked", offset: 0, maxWaitMs: 120_000), version: 11)
            #expect(eventually { broker.core.appendSignal.sleepingCount == 1 })
            broker.stop()
            // Either the answer or the close arrives well within the client's 30 s read timeout.
            let outcome = Result { try client.readFrame() }
            if case .failure(let error) = outcome {
                #expect(String(describing: error).contains("closed"), "\(error)")
            }
        }
    }
}

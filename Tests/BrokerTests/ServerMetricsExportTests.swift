import Foundation
import Testing
import Wire

@testable import Broker

/// `spate broker --http-port`: the Prometheus page, scraped over HTTP after real Produce and Fetch
/// requests, shows what the test sent.
@Suite(.dedicatedThread) struct ServerMetricsExportTests {
    /// `GET /metrics` over a real socket; the body, checked to be a 200 in Prometheus's content type.
    private func scrape(_ server: HTTPServer) throws -> String {
        let socket = try Socket.connect(to: server.address, timeoutMs: 30_000)
        defer { socket.close() }
        try socket.writeAll(Array("GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let got = try chunk.withUnsafeMutableBytes { try socket.read(into: $0) }
            guard case .processed(let count) = got, count > 0 else { break }
            bytes += chunk[0..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let split = try #require(text.range(of: "\r\n\r\n"))
        let head = text[..<split.lowerBound]
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.contains("Content-Type: text/plain; version=0.0.4"))
        return String(text[split.upperBound...])
    }

    /// Samples by series (`name{labels}` as rendered), read line by line from the text format.
    private func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func scrapedCountersMatchWhatWasProducedAndFetched() async throws {
        let directory = "/tmp/spate-brokertest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = try KafkaBroker.start(testBrokerConfig(directory))
        defer { broker.stop() }
        let server = try HTTPServer(
            listeningOn: try SocketAddress(host: "127.0.0.1", port: 0),
            router: BrokerMetricsExporter(broker: broker).router())
        let outcome = Result { try produceFetchAndScrape(broker, server) }
        await server.stop()
        try outcome.get()
    }

    private func produceFetchAndScrape(_ broker: KafkaBroker, _ server: HTTPServer) throws {
        let before = samples(try scrape(server))
        #expect(before["spate_broker_requests_total{api=\"Produce\"}"] == 0, "every API is exported from start")
        #expect(before["spate_broker_connections"] == 0 && before["spate_broker_groups"] == 0)

        let client = try TestKafkaClient(broker)
        let clicks = [makeBatch(count: 10, valueBytes: 50), makeBatch(count: 7, valueBytes: 30)]
        let views = makeBatch(count: 3, valueBytes: 200)
        for batch in clicks { #expect(try client.produce("clicks", batch).errorCode == .noError) }
        #expect(try client.produce("views", views).errorCode == .noError)
        #expect(try client.fetch("clicks", offset: 0).errorCode == .noError)

        let after = samples(try scrape(server))
        let clickBytes = Double(clicks.reduce(0) { $0 + $1.count })
        #expect(after["spate_broker_bytes_in_total{topic=\"clicks\"}"] == clickBytes)
        #expect(after["spate_broker_records_in_total{topic=\"clicks\"}"] == 17)
        #expect(after["spate_broker_bytes_out_total{topic=\"clicks\"}"] == clickBytes)
        #expect(after["spate_broker_records_out_total{topic=\"clicks\"}"] == 17)
        #expect(after["spate_broker_bytes_in_total{topic=\"views\"}"] == Double(views.count))
        #expect(after["spate_broker_records_in_total{topic=\"views\"}"] == 3)
        #expect(after["spate_broker_records_out_total{topic=\"views\"}"] == 0)
        #expect(after["spate_broker_requests_total{api=\"Produce\"}"] == 3)
        #expect(after["spate_broker_requests_total{api=\"Fetch\"}"] == 1)
        #expect(after["spate_broker_connections"] == 1)
        #expect(after["spate_broker_connections_accepted_total"] == 1)
        #expect(after["spate_broker_topics"] == 2)
    }

    @Test func groupsAndRefusedFramesAreCounted() throws {
        try withBroker { broker in
            let exporter = BrokerMetricsExporter(broker: broker)
            let client = try TestKafkaClient(broker)
            let commit = OffsetCommitRequest(
                groupId: "dashboards",
                topics: [
                    .init(
                        name: "clicks",
                        partitions: [.init(partitionIndex: 0, committedOffset: 5, committedMetadata: nil)])
                ])
            #expect(try client.call(commit, version: 2).topics.first?.partitions.first?.errorCode == .noError)
            // A frame with an API key Kafka does not have: the broker counts it and closes the connection,
            // so the failed read below means the count is in.
            var frame = ByteWriter()
            frame.writeInteger(Int16(999))
            frame.writeInteger(Int16(0))
            frame.writeInteger(Int32(7))
            frame.writeInteger(Int16(-1))
            let refused = try TestKafkaClient(broker)
            try refused.sendFrame(frame.bytes)
            #expect(throws: (any Error).self) { _ = try refused.readFrame() }

            let after = samples(exporter.render())
            #expect(after["spate_broker_groups"] == 1)
            #expect(after["spate_broker_requests_total{api=\"OffsetCommit\"}"] == 1)
            #expect(after["spate_broker_rejected_requests_total"] == 1)
            #expect(after["spate_broker_connections_accepted_total"] == 2)
        }
    }
}

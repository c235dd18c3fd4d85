import Foundation
import Testing

@testable import Broker

@Suite(.dedicatedThread) struct ClientRestartTests {
    @Test func clientAndProducerSurviveABrokerRestart() throws {
        try withDataDirectory { directory in
            var config = testBrokerConfig(directory)
            var broker = try KafkaBroker.start(config)
            config.port = broker.port
            let client = try testClient(broker) { $0.retries = 30 }
            defer { client.close() }
            try client.createTopic("restart", partitions: 2)
            let producer = try KafkaProducer(client: client, config: ProducerConfig(lingerMs: 1))
            defer { producer.close() }
            for index in 0..<100 {
                try producer.send(topic: "restart", key: Array("k\(index)".utf8), value: Array("\(index)".utf8))
            }
            #expect(try producer.flush().acknowledged == 100)

            broker.stop()
            // The broker is down: these wait in the producer and are retried until it is back.
            for index in 100..<200 {
                try producer.send(topic: "restart", key: Array("k\(index)".utf8), value: Array("\(index)".utf8))
            }
            broker = try KafkaBroker.start(config)
            defer { broker.stop() }
            let report = try producer.flush()
            #expect(report.acknowledged == 100 && report.failed.isEmpty)

            // The same client reads everything back over fresh connections, each record exactly once.
            let values = try fetchAll(client, topic: "restart").values.flatMap { $0 }.compactMap(\.value)
            #expect(values.count == 200)
            #expect(Set(values.map { String(decoding: $0, as: UTF8.self) }) == Set((0..<200).map(String.init)))
        }
    }
}

import Testing
import Wire

@testable import Broker

/// The idempotent producer (G4) through the socket: ids, duplicates, gaps, epochs, and the state
/// rebuilt from the log after a restart.
@Suite(.dedicatedThread) struct ServerIdempotenceTests {
    /// InitProducerId hands out distinct ids with epoch 0, and never the same id after a restart.
    @Test func producerIdsNeverRepeat() throws {
        try withDataDirectory { directory in
            var seen: Set<Int64> = []
            for _ in 0..<2 {
                try withBroker(in: directory) { broker in
                    let client = try TestKafkaClient(broker)
                    for _ in 0..<5 {
                        let answer = try client.call(InitProducerIdRequest(transactionTimeoutMs: 60_000), version: 1)
                        #expect(answer.errorCode == .noError)
                        #expect(answer.producerEpoch == 0)
                        #expect(seen.insert(answer.producerId).inserted, "producer id \(answer.producerId) repeated")
                    }
                }
            }
            #expect(seen.count == 10)
        }
    }

    /// A transactional InitProducerId is refused: this broker has no transaction coordinator.
    @Test func transactionalProducersAreRefused() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let answer = try client.call(
                InitProducerIdRequest(transactionalId: "tx", transactionTimeoutMs: 60_000), version: 1)
            #expect(answer.errorCode == .invalidRequest)
        }
    }

    /// An exact retry gets error 0 and the original offset and appends nothing; a gap gets 45.
    @Test func duplicatesAndGaps() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let id = try client.call(InitProducerIdRequest(transactionTimeoutMs: 60_000), version: 1).producerId
            let first = idempotentBatch(producerId: id, sequence: 0, count: 3, tag: 1)
            let second = idempotentBatch(producerId: id, sequence: 3, count: 2, tag: 2)
            #expect(try client.produce("idem", first).baseOffset == 0)
            #expect(try client.produce("idem", second).baseOffset == 3)
            for (batch, offset) in [(first, Int64(0)), (second, 3)] {
                let retry = try client.produce("idem", batch)
                #expect(retry.errorCode == .noError)
                #expect(retry.baseOffset == offset)
            }
            let gap = try client.produce("idem", idempotentBatch(producerId: id, sequence: 9, count: 1))
            #expect(gap.errorCode == .outOfOrderSequenceNumber)
            #expect(try client.listOffset("idem", timestamp: -1).offset == 5)
            #expect(try client.fetch("idem", offset: 0).records?.array == stored(first, at: 0) + stored(second, at: 3))
            let next = try client.produce("idem", idempotentBatch(producerId: id, sequence: 5, count: 1))
            #expect(next.baseOffset == 5)
        }
    }

    /// A higher epoch restarts the sequence at 0; a lower epoch is fenced with INVALID_PRODUCER_EPOCH.
    @Test func epochsFenceOlderProducers() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let id: Int64 = 4242
            #expect(
                try client.produce("epochs", idempotentBatch(producerId: id, epoch: 0, sequence: 0)).errorCode
                    == .noError)
            let bumpedLate = try client.produce("epochs", idempotentBatch(producerId: id, epoch: 1, sequence: 3))
            #expect(bumpedLate.errorCode == .outOfOrderSequenceNumber)
            #expect(
                try client.produce("epochs", idempotentBatch(producerId: id, epoch: 1, sequence: 0)).baseOffset == 3)
            let stale = try client.produce("epochs", idempotentBatch(producerId: id, epoch: 0, sequence: 3))
            #expect(stale.errorCode == .invalidProducerEpoch)
        }
    }

    /// After the broker restarts on the same data, a retry of the last batch written is recognised
    /// from the log tail alone and answered with its original offset; the sequence continues.
    @Test func producerStateIsRebuiltFromTheLogAfterRestart() throws {
        try withDataDirectory { directory in
            let id: Int64 = 77
            let batches = (0..<4).map {
                idempotentBatch(producerId: id, sequence: Int32($0 * 3), count: 3, tag: UInt8($0))
            }
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                for (number, batch) in batches.enumerated() {
                    #expect(try client.produce("rebuild", batch).baseOffset == Int64(number * 3))
                }
            }
            try withBroker(in: directory) { broker in
                let client = try TestKafkaClient(broker)
                let retry = try client.produce("rebuild", batches[3])
                #expect(retry.errorCode == .noError)
                #expect(retry.baseOffset == 9)
                let older = try client.produce("rebuild", batches[1])
                #expect(older.baseOffset == 3)
                #expect(try client.listOffset("rebuild", timestamp: -1).offset == 12)
                let gap = try client.produce("rebuild", idempotentBatch(producerId: id, sequence: 13, count: 1))
                #expect(gap.errorCode == .outOfOrderSequenceNumber)
                let next = try client.produce("rebuild", idempotentBatch(producerId: id, sequence: 12, count: 1))
                #expect(next.baseOffset == 12)
                // Producer ids handed out after the restart stay above every id in the log.
                let fresh = try client.call(InitProducerIdRequest(transactionTimeoutMs: 60_000), version: 1)
                #expect(fresh.producerId > id)
            }
        }
    }

    /// Two batches of one producer in one request are checked in order against each other.
    @Test func severalBatchesInOneRequest() throws {
        try withBroker { broker in
            let client = try TestKafkaClient(broker)
            let id: Int64 = 9
            let a = idempotentBatch(producerId: id, sequence: 0, count: 2, tag: 1)
            let b = idempotentBatch(producerId: id, sequence: 2, count: 2, tag: 2)
            #expect(try client.produce("multi", a + b).baseOffset == 0)
            #expect(try client.produce("multi", a + b).baseOffset == 0, "a retried pair is one duplicate")
            let c = idempotentBatch(producerId: id, sequence: 4, count: 1, tag: 3)
            #expect(try client.produce("multi", b + c).errorCode == .duplicateSequenceNumber)
            let skipping = idempotentBatch(producerId: id, sequence: 6, count: 1)
            #expect(try client.produce("multi", c + skipping).errorCode == .outOfOrderSequenceNumber)
            #expect(try client.listOffset("multi", timestamp: -1).offset == 4)
        }
    }
}

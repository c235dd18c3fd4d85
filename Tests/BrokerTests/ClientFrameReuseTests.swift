import Foundation
import Testing
import Wire

@testable import Broker

/// Large response frames handed back are reused, never while anything still reads them, and the
/// pool of kept frames stays within its bounds.
@Suite(.dedicatedThread) struct ClientFrameReuseTests {
    static let mib = 1 << 20

    /// A fresh array of `count` bytes, every byte `fill`.
    static func filled(_ count: Int, _ fill: UInt8) -> [UInt8] { [UInt8](repeating: fill, count: count) }

    @Test func boundsHoldOverRandomGivesAndTakes() {
        var random = SplitMix64(seed: 7)
        let pool = FrameBufferPool(bytesMax: 9 * Self.mib, buffersMax: 3)
        var modelHeld: [Int] = []  // capacities the pool should be keeping, by the rules it documents
        for _ in 0..<300 {
            if random.next(upperBound: UInt64(2)) == 0 {
                let array = Self.filled(Int(random.next(upperBound: UInt64(4 * Self.mib))) + 1, 1)
                let capacity = array.capacity
                let fits = modelHeld.count < 3 && modelHeld.reduce(0, +) + capacity <= 9 * Self.mib
                if capacity >= FrameBufferPool.pooledBytesMin && fits { modelHeld.append(capacity) }
                pool.giveBack(array)
            } else {
                let count = Int(random.next(upperBound: UInt64(4 * Self.mib)))
                let candidates = modelHeld.enumerated().filter {
                    count >= FrameBufferPool.pooledBytesMin && $0.element >= count && $0.element <= 2 * count
                }
                if let best = candidates.min(by: { $0.element < $1.element }) { modelHeld.remove(at: best.offset) }
                let taken = pool.take(count: count)
                #expect(taken.count == count)
            }
            let kept = pool.kept
            #expect(kept.arrays == modelHeld.count && kept.bytes == modelHeld.reduce(0, +))
            #expect(kept.arrays <= 3 && kept.bytes <= 9 * Self.mib)
        }
        #expect(pool.counts.copiedOnTake == 0)
    }

    @Test func anArrayStillHeldIsCopiedNotOverwritten() {
        let pool = FrameBufferPool(bytesMax: 64 * Self.mib)
        let held = Self.filled(2 * Self.mib, 0xA5)
        pool.giveBack(held)  // wrongly: `held` still reads it
        var taken = pool.take(count: 2 * Self.mib)
        for index in taken.indices { taken[index] = 0x5A }
        #expect(held.allSatisfy { $0 == 0xA5 })
        #expect(taken.allSatisfy { $0 == 0x5A })
        #expect(pool.counts == FrameBufferPool.Counts(reused: 1, fresh: 0, copiedOnTake: 1))
    }

    @Test func anArrayNobodyHoldsIsReusedInPlace() {
        let pool = FrameBufferPool(bytesMax: 64 * Self.mib)
        var array = Self.filled(3 * Self.mib, 1)
        let address = array.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        pool.giveBack(array)
        array = []
        // A smaller frame (over half the capacity) is served from the same memory.
        let smaller = pool.take(count: 2 * Self.mib)
        #expect(smaller.count == 2 * Self.mib)
        #expect(smaller.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) } == address)
        #expect(pool.counts == FrameBufferPool.Counts(reused: 1, fresh: 0, copiedOnTake: 0))
        // Small frames are never served from, nor kept in, the pool.
        pool.giveBack(Self.filled(FrameBufferPool.pooledBytesMin / 2, 0))
        #expect(pool.kept.arrays == 0)
    }

    /// `count` records of seeded random values (some over a kilobyte) and keys, one partition.
    static func produce(_ client: KafkaClient, topic: String, count: Int) throws -> [(key: [UInt8]?, value: [UInt8])] {
        var random = SplitMix64(seed: 11)
        var model: [(key: [UInt8]?, value: [UInt8])] = []
        let producer = try KafkaProducer(client: client, config: ProducerConfig(lingerMs: 5, batchBytes: 64 << 10))
        for index in 0..<count {
            let length = Int(random.next(upperBound: UInt64(1_500))) + 1
            let value = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next(upperBound: UInt64(256))) }
            let key: [UInt8]? = index % 3 == 0 ? nil : Array("key-\(index)".utf8)
            model.append((key, value))
            _ = try producer.send(topic: topic, key: key, value: value, partition: 0)
        }
        _ = try producer.flush()
        producer.close()
        return model
    }

    static func expectRecords(
        _ fetched: FetchedPartition, from offset: Int64, match model: [(key: [UInt8]?, value: [UInt8])]
    ) throws {
        let records = try fetched.decodedRecords()
        #expect(!records.isEmpty)
        for (index, record) in records.enumerated() {
            let expected = model[Int(offset) + index]
            #expect(record.offset == offset + Int64(index))
            #expect(record.key == expected.key && record.value == expected.value)
        }
    }

    @Test func fetchesReuseHandedBackFramesAndKeptRecordsKeepTheirBytes() throws {
        try withClient { _, client in
            try client.createTopic("reuse", partitions: 1)
            let model = try Self.produce(client, topic: "reuse", count: 12_000)
            let options = FetchOptions(maxWaitMs: 0, maxBytes: 2 << 20, partitionMaxBytes: 2 << 20)
            // Fetch A, keep its records, and (wrongly) hand its frame back while they point into it.
            let kept = try client.fetch(topic: "reuse", partition: 0, offset: 0, options: options)
            client.recycleFrame(kept.buffer)
            let second = try client.fetch(topic: "reuse", partition: 0, offset: 100, options: options)
            try Self.expectRecords(second, from: 100, match: model)
            try Self.expectRecords(kept, from: 0, match: model)
            #expect(client.frameBuffers.counts.copiedOnTake == 1)
            // Handed back properly, once nothing else holds them: reused in place, records exact.
            var random = SplitMix64(seed: 3)
            for _ in 0..<20 {
                let offset = Int64(random.next(upperBound: UInt64(10_000)))
                let frame = try { () throws -> [UInt8] in
                    let fetched = try client.fetch(topic: "reuse", partition: 0, offset: offset, options: options)
                    try Self.expectRecords(fetched, from: offset, match: model)
                    return fetched.buffer
                }()
                client.recycleFrame(frame)
            }
            let counts = client.frameBuffers.counts
            #expect(counts.reused >= 19 && counts.copiedOnTake == 1)
            #expect(client.frameBuffers.kept.bytes <= client.config.frameReuseBytesMax)
        }
    }
}

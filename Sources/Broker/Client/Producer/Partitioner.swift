/// Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`): the hash the Java client's
/// default partitioner, kafka-python and librdkafka's `murmur2_random` use for keyed records.
public enum Murmur2 {
    /// The 32-bit murmur2 hash of `bytes`, with Kafka's seed.
    public static func hash<Bytes: Collection>(_ bytes: Bytes) -> Int32 where Bytes.Element == UInt8 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var iterator = bytes.makeIterator()
        for _ in 0..<(length / 4) {
            // Little-endian words, as Kafka reads them.
            var k = UInt32(iterator.next() ?? 0)
            k |= UInt32(iterator.next() ?? 0) << 8
            k |= UInt32(iterator.next() ?? 0) << 16
            k |= UInt32(iterator.next() ?? 0) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = Array(IteratorSequence(iterator))
        switch tail.count {
        case 3:
            h ^= UInt32(tail[2]) << 16
            h ^= UInt32(tail[1]) << 8
            h ^= UInt32(tail[0])
            h = h &* m
        case 2:
            h ^= UInt32(tail[1]) << 8
            h ^= UInt32(tail[0])
            h = h &* m
        case 1:
            h ^= UInt32(tail[0])
            h = h &* m
        default: break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The partition Kafka's default partitioner picks for `key` among `partitionCount`:
    /// `toPositive(murmur2(key)) % partitionCount`, where toPositive clears the sign bit.
    public static func partition<Bytes: Collection>(forKey key: Bytes, partitionCount: Int) -> Int32
    where Bytes.Element == UInt8 {
        precondition(partitionCount > 0, "a topic has at least one partition")
        let positive = Int(UInt32(bitPattern: hash(key)) & 0x7fff_ffff)
        return Int32(positive % partitionCount)
    }
}

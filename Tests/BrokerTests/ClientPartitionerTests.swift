import Testing

@testable import Broker

@Suite struct ClientPartitionerTests {
    /// Kafka's own vectors (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java).
    static let kafkaVectors: [(String, Int32)] = [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ]

    /// Akka's vectors, taken from Kafka's implementation: every tail length (0–3 bytes past a word).
    static let akkaVectors: [(String, Int32)] = [
        ("1", -1_993_445_489), ("12", 126_087_238), ("123", -267_702_483), ("1234", -1_614_185_708),
        ("12345", -1_188_365_604),
    ]

    @Test(arguments: kafkaVectors + akkaVectors)
    func murmur2MatchesKafka(_ vector: (String, Int32)) {
        #expect(Murmur2.hash(Array(vector.0.utf8)) == vector.1)
    }

    /// Java: `Utils.toPositive(Utils.murmur2(key)) % numPartitions`, with toPositive = `n & 0x7fffffff`.
    @Test(arguments: kafkaVectors)
    func partitionIsThePositiveHashModuloTheCount(_ vector: (String, Int32)) {
        for count in [1, 2, 3, 6, 7, 12] {
            let expected = Int32((Int64(vector.1) & 0x7fff_ffff) % Int64(count))
            #expect(Murmur2.partition(forKey: Array(vector.0.utf8), partitionCount: count) == expected)
        }
    }

    @Test func handWorkedPartitions() {
        // "foobar": -790332482 & 0x7fffffff = 1357151166; 1357151166 % 3 = 0, % 5 = 1.
        #expect(Murmur2.partition(forKey: Array("foobar".utf8), partitionCount: 3) == 0)
        #expect(Murmur2.partition(forKey: Array("foobar".utf8), partitionCount: 5) == 1)
        // "abc": 479470107 % 6 = 3.
        #expect(Murmur2.partition(forKey: Array("abc".utf8), partitionCount: 6) == 3)
        #expect(Murmur2.hash([UInt8]()) == Murmur2.hash(ArraySlice<UInt8>()))
    }
}

import Foundation
import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh data directory under /tmp for one test, removed afterwards even when the body throws.
func withDataDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = "/tmp/spate-brokertest-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A broker config on 127.0.0.1, port 0, with test-friendly group timings.
func testBrokerConfig(_ directory: String) -> BrokerConfig {
    var config = BrokerConfig(
        dataDirectory: directory, port: 0, groups: GroupCoordinatorConfig(initialRebalanceDelayMs: 0))
    config.defaultPartitions = 2
    return config
}

/// Starts a broker in `directory` with `tweak` applied, runs `body`, and stops the broker.
func withBroker<Result>(
    in directory: String, _ tweak: (inout BrokerConfig) -> Void = { _ in }, _ body: (KafkaBroker) throws -> Result
) throws -> Result {
    var config = testBrokerConfig(directory)
    tweak(&config)
    let broker = try KafkaBroker.start(config)
    defer { broker.stop() }
    return try body(broker)
}

/// Starts a broker in a fresh directory, runs `body`, then stops it and removes the directory.
func withBroker<Result>(_ tweak: (inout BrokerConfig) -> Void = { _ in }, _ body: (KafkaBroker) throws -> Result)
    throws -> Result
{
    try withDataDirectory { directory in try withBroker(in: directory, tweak, body) }
}

/// A test failure with a readable reason.
struct ServerTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A blocking Kafka client over one socket, written independently of the broker's own framing so
/// that a broker bug cannot hide behind shared code. Every read gives up after 30 s.
final class TestKafkaClient {
    static let readTimeoutMs = 30_000
    let socket: Socket
    private var nextCorrelationId: Int32 = 1
    private var buffered: [UInt8] = []

    convenience init(_ broker: KafkaBroker) throws {
        try self.init(address: broker.address)
    }

    init(address: SocketAddress) throws {
        socket = try Socket.connect(to: address, timeoutMs: 5_000)
        try socket.setReceiveTimeout(ms: Self.readTimeoutMs)
    }

    deinit { socket.close() }

    /// Sends `message` at `version`; returns its correlation id.
    @discardableResult
    func send<Message: KafkaRequestMessage>(_ message: Message, version: Int16, clientId: String? = "spate-test")
        throws -> Int32
    {
        let correlationId = nextCorrelationId
        nextCorrelationId += 1
        try socket.writeAll(
            KafkaFrame.request(message, version: version, correlationId: correlationId, clientId: clientId))
        return correlationId
    }

    /// Writes raw bytes as they are.
    func sendRaw(_ bytes: [UInt8]) throws { try socket.writeAll(bytes) }

    /// Sends one frame (header + body, no size prefix), adding the size prefix.
    func sendFrame(_ frame: [UInt8]) throws {
        var sized = ByteWriter()
        sized.writeInteger(Int32(frame.count))
        sized.writeBytes(frame)
        try sendRaw(sized.bytes)
    }

    /// The next response frame without its size prefix; throws on timeout or end of stream.
    func readFrame() throws -> [UInt8] {
        try fill(4)
        let size = Int(try ByteReader(buffered).getInteger(at: 0, as: Int32.self))
        guard size >= 0 else { throw ServerTestFailure("negative response size \(size)") }
        try fill(4 + size)
        let frame = Array(buffered[4..<(4 + size)])
        buffered.removeFirst(4 + size)
        return frame
    }

    /// The next response, decoded as `Message` at `version`; its correlation id must be `correlationId`.
    func receive<Message: KafkaResponseMessage>(_ type: Message.Type, version: Int16, correlationId: Int32) throws
        -> Message
    {
        let frame = try readFrame()
        let (echoed, response) = try KafkaFrame.decodeResponse(type, frame: frame, version: version)
        guard echoed == correlationId else {
            throw ServerTestFailure("expected correlation id \(correlationId), got \(echoed)")
        }
        return response
    }

    /// Sends `message` and waits for its response.
    func call<Message: KafkaRequestMessage>(_ message: Message, version: Int16) throws -> Message.Response {
        let correlationId = try send(message, version: version)
        return try receive(Message.Response.self, version: version, correlationId: correlationId)
    }

    /// True when the broker closes the connection (end of stream or reset) before sending anything.
    func closesWithoutReply() throws -> Bool {
        var scratch = [UInt8](repeating: 0, count: 4096)
        let result = scratch.withUnsafeMutableBytes { raw in
            Result { () throws(PosixError) in try socket.read(into: raw) }
        }
        switch result {
        case .success(.processed(let count)): return count == 0
        case .success(.wouldBlock): throw ServerTestFailure("the broker neither replied nor closed within 30 s")
        case .failure(let error): return error.errno == ECONNRESET
        }
    }

    private func fill(_ count: Int) throws {
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        while buffered.count < count {
            let result = try scratch.withUnsafeMutableBytes { raw in try socket.read(into: raw) }
            switch result {
            case .processed(0): throw ServerTestFailure("the broker closed the connection")
            case .processed(let got): buffered += scratch[0..<got]
            case .wouldBlock: throw ServerTestFailure("no response within 30 s")
            }
        }
    }
}

// MARK: request shorthands

extension TestKafkaClient {
    /// Produces `records` to one partition and returns that partition's answer.
    func produce(
        _ topic: String, partition: Int32 = 0, _ records: [UInt8], acks: Int16 = -1, version: Int16 = 8
    ) throws -> ProduceResponse.Partition {
        let request = ProduceRequest(
            acks: acks, timeoutMs: 30_000,
            topics: [.init(name: topic, partitions: [.init(index: partition, records: records)])])
        let response = try call(request, version: version)
        return try #require(response.topics.first?.partitions.first)
    }

    /// Fetches one partition from `offset` and returns that partition's answer.
    func fetch(
        _ topic: String, partition: Int32 = 0, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 1,
        maxBytes: Int32 = 50 << 20, partitionMaxBytes: Int32 = 1 << 20, version: Int16 = 11
    ) throws -> FetchResponse.Partition {
        let response = try call(
            fetchRequest(
                topic, partition: partition, offset: offset, maxWaitMs: maxWaitMs, minBytes: minBytes,
                maxBytes: maxBytes, partitionMaxBytes: partitionMaxBytes),
            version: version)
        return try #require(response.topics.first?.partitions.first)
    }

    /// The offset ListOffsets finds at `timestamp` (-2 earliest, -1 latest).
    func listOffset(_ topic: String, partition: Int32 = 0, timestamp: Int64, version: Int16 = 5) throws
        -> ListOffsetsResponse.Partition
    {
        let request = ListOffsetsRequest(
            topics: [.init(name: topic, partitions: [.init(partitionIndex: partition, timestamp: timestamp)])])
        return try #require(try call(request, version: version).topics.first?.partitions.first)
    }

    /// Metadata for `topics` (nil = all).
    func metadata(_ topics: [String]?, allowAutoCreate: Bool = true, version: Int16 = 8) throws -> MetadataResponse {
        try call(MetadataRequest(topics: topics, allowAutoTopicCreation: allowAutoCreate), version: version)
    }

    /// Creates one topic and returns its result.
    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int16 = 1) throws
        -> CreateTopicsResponse.Topic
    {
        let request = CreateTopicsRequest(
            topics: [.init(name: name, numPartitions: partitions, replicationFactor: replicationFactor)])
        return try #require(try call(request, version: 4).topics.first)
    }
}

/// A Fetch request for one partition.
func fetchRequest(
    _ topic: String, partition: Int32 = 0, offset: Int64, maxWaitMs: Int32, minBytes: Int32 = 1,
    maxBytes: Int32 = 50 << 20, partitionMaxBytes: Int32 = 1 << 20
) -> FetchRequest {
    FetchRequest(
        maxWaitMs: maxWaitMs, minBytes: minBytes, maxBytes: maxBytes,
        topics: [
            .init(
                topic: topic,
                partitions: [.init(partition: partition, fetchOffset: offset, partitionMaxBytes: partitionMaxBytes)])
        ])
}

/// An idempotent batch of `count` records with the producer fields set.
func idempotentBatch(producerId: Int64, epoch: Int16 = 0, sequence: Int32, count: Int = 3, tag: UInt8 = 0) -> [UInt8] {
    var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
    for index in 0..<count {
        builder.append(
            timestampMs: 1_700_000_000_000 + Int64(index), key: [tag, UInt8(index)],
            value: [UInt8](repeating: tag, count: 20))
    }
    return builder.finish()
}

/// `batch` as a broker stores it: only baseOffset rewritten.
func stored(_ batch: [UInt8], at offset: Int64) -> [UInt8] {
    var copy = batch
    RecordBatchHeader.setBaseOffset(offset, in: &copy, batchStart: 0)
    return copy
}

/// Polls `condition` every 10 ms until it holds or `timeoutMs` passes; returns whether it held.
func eventually(timeoutMs: Int = 30_000, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
    while MonotonicClock.milliseconds() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// The bytes a response's chunks put on the wire, regions read back from their files.
func wireBytes(_ chunks: [ResponseChunk]) throws -> [UInt8] {
    var bytes: [UInt8] = []
    for chunk in chunks {
        switch chunk {
        case .bytes(let chunkBytes): bytes += chunkBytes
        case .region(let region): bytes += try region.bytes()
        }
    }
    return bytes
}

/// Why a client operation failed, with enough context to say what to do about it.
public enum KafkaClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting is out of range; nothing was attempted.
    case invalidConfig(String)
    /// A broker address does not parse or resolve.
    case badAddress(String, reason: String)
    /// No TCP connection (or no ApiVersions answer) could be had from the broker at this address.
    case unreachable(broker: String, reason: String)
    /// An established connection failed or was closed while requests were outstanding.
    case connectionLost(broker: String, reason: String)
    /// No response within the request timeout; the connection was closed.
    case timedOut(ApiKey, broker: String, afterMs: Int)
    /// A response did not decode at the version we asked for.
    case malformedResponse(ApiKey, broker: String, reason: String)
    /// The broker supports no version of this API that the client speaks.
    case unsupportedApi(ApiKey, broker: String)
    /// The broker answered with an error code; `context` names the operation and its target.
    case broker(KafkaErrorCode, context: String)
    /// CreateTopics found the topic already there (TOPIC_ALREADY_EXISTS, 36).
    case topicAlreadyExists(String)
    /// The topic does not exist (and was not created automatically).
    case unknownTopic(String)
    /// The topic exists but has no such partition.
    case unknownPartition(topic: String, partition: Int32)
    /// The partition has no leader right now.
    case leaderNotAvailable(topic: String, partition: Int32)
    /// A fetch offset lies outside the partition's [logStart, highWatermark] (OFFSET_OUT_OF_RANGE, 1).
    case offsetOutOfRange(topic: String, partition: Int32, offset: Int64, logStartOffset: Int64, highWatermark: Int64)
    /// A fetched record batch does not decode.
    case malformedRecords(topic: String, partition: Int32, reason: String)
    /// A record is larger than the producer sends in one batch.
    case recordTooLarge(bytes: Int, limit: Int)
    /// The producer's buffer stayed full for the whole wait.
    case bufferFull(waitedMs: Int)
    /// A record could not be delivered before the delivery timeout; `lastError` says why ("" if it
    /// never left the producer).
    case deliveryTimedOut(afterMs: Int, lastError: String)
    /// The object was closed before or during the call.
    case closed(String)

    /// The Kafka error code behind this error, if a broker sent one.
    public var kafkaCode: KafkaErrorCode? {
        switch self {
        case .broker(let code, _): code
        case .topicAlreadyExists: .topicAlreadyExists
        case .unknownTopic, .unknownPartition: .unknownTopicOrPartition
        case .leaderNotAvailable: .leaderNotAvailable
        case .offsetOutOfRange: .offsetOutOfRange
        default: nil
        }
    }

    /// True when the same request may succeed if simply tried again (after a metadata refresh).
    public var isRetriable: Bool {
        switch self {
        case .unreachable, .connectionLost, .timedOut, .leaderNotAvailable: true
        case .broker(let code, _): code.isRetriable
        default: false
        }
    }

    /// True when the failure came from the transport rather than from a broker's answer.
    public var isConnectionFailure: Bool {
        switch self {
        case .unreachable, .connectionLost, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .invalidConfig(let reason): "invalid client configuration: \(reason)"
        case .badAddress(let address, let reason): "bad broker address '\(address)': \(reason)"
        case .unreachable(let broker, let reason): "cannot reach the broker at \(broker): \(reason)"
        case .connectionLost(let broker, let reason): "lost the connection to \(broker): \(reason)"
        case .timedOut(let api, let broker, let ms): "\(api) to \(broker) got no response within \(ms) ms"
        case .malformedResponse(let api, let broker, let reason): "malformed \(api) response from \(broker): \(reason)"
        case .unsupportedApi(let api, let broker):
            "the broker at \(broker) supports no \(api) version this client speaks"
        case .broker(let code, let context): "\(context): \(code)"
        case .topicAlreadyExists(let topic): "topic '\(topic)' already exists"
        case .unknownTopic(let topic): "unknown topic '\(topic)'"
        case .unknownPartition(let topic, let partition): "topic '\(topic)' has no partition \(partition)"
        case .leaderNotAvailable(let topic, let partition): "partition \(topic)/\(partition) has no leader"
        case .offsetOutOfRange(let topic, let partition, let offset, let start, let end):
            "offset \(offset) is out of range for \(topic)/\(partition) (valid: \(start)...\(end))"
        case .malformedRecords(let topic, let partition, let reason):
            "bad records from \(topic)/\(partition): \(reason)"
        case .recordTooLarge(let bytes, let limit): "record of \(bytes) bytes is over the limit of \(limit)"
        case .bufferFull(let ms): "the producer buffer stayed full for \(ms) ms"
        case .deliveryTimedOut(let ms, let last):
            "not acknowledged within the delivery timeout of \(ms) ms" + (last.isEmpty ? "" : " (last error: \(last))")
        case .closed(let what): "\(what) is closed"
        }
    }
}

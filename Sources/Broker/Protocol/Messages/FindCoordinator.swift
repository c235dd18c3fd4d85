import Wire

// FindCoordinator (key 10), v0–2. v1 adds key_type (0 = group, 1 = transaction), throttle time
// and error_message. librdkafka never goes above v2.

/// FindCoordinator request: which node coordinates a group (or transaction).
public struct FindCoordinatorRequest: KafkaRequestMessage {
    public typealias Response = FindCoordinatorResponse
    public static let apiKey = ApiKey.findCoordinator

    /// The group id (or transactional id).
    public var key: String
    /// v1+; 0 = group, 1 = transaction.
    public var keyType: Int8

    /// A request; `keyType` only travels in v1+.
    public init(key: String, keyType: Int8 = 0) {
        self.key = key
        self.keyType = keyType
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let key = try reader.readInt16String()
        return FindCoordinatorRequest(key: key, keyType: version >= 1 ? try reader.readInt8() : 0)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(key)
        if version >= 1 { writer.writeInteger(keyType) }
    }
}

/// FindCoordinator response: the coordinator's address.
public struct FindCoordinatorResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.findCoordinator

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode
    /// v1+.
    public var errorMessage: String?
    public var nodeId: Int32
    public var host: String
    public var port: Int32

    /// A response; fields absent in a version keep their defaults.
    public init(
        throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, errorMessage: String? = nil, nodeId: Int32,
        host: String, port: Int32
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.nodeId = nodeId
        self.host = host
        self.port = port
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        let errorCode = try reader.readErrorCode()
        let errorMessage = version >= 1 ? try reader.readNullableInt16String() : nil
        return FindCoordinatorResponse(
            throttleTimeMs: throttleTimeMs, errorCode: errorCode, errorMessage: errorMessage,
            nodeId: try reader.readInt32(), host: try reader.readInt16String(), port: try reader.readInt32())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 1 { writer.writeInteger(throttleTimeMs) }
        writer.writeErrorCode(errorCode)
        if version >= 1 { writer.writeInt16String(errorMessage) }
        writer.writeInteger(nodeId)
        writer.writeInt16String(host)
        writer.writeInteger(port)
    }
}

import Wire

// Heartbeat (key 12), v0–3. v1 adds throttle time, v3 group_instance_id. Error 27
// (REBALANCE_IN_PROGRESS) is how members learn a rebalance has started.

/// Heartbeat request: a member saying it is alive in its generation.
public struct HeartbeatRequest: KafkaRequestMessage {
    public typealias Response = HeartbeatResponse
    public static let apiKey = ApiKey.heartbeat

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+.
    public var groupInstanceId: String?

    /// A request; `groupInstanceId` only travels in v3+.
    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var request = HeartbeatRequest(
            groupId: try reader.readInt16String(), generationId: try reader.readInt32(),
            memberId: try reader.readInt16String())
        if version >= 3 { request.groupInstanceId = try reader.readNullableInt16String() }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        writer.writeInteger(generationId)
        writer.writeInt16String(memberId)
        if version >= 3 { writer.writeInt16String(groupInstanceId) }
    }
}

/// Heartbeat response: an error code, 0 while the group is stable.
public struct HeartbeatResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.heartbeat

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode

    /// A response; `throttleTimeMs` only travels in v1+.
    public init(throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        return HeartbeatResponse(throttleTimeMs: throttleTimeMs, errorCode: try reader.readErrorCode())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 1 { writer.writeInteger(throttleTimeMs) }
        writer.writeErrorCode(errorCode)
    }
}

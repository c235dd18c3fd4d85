import Wire

// JoinGroup (key 11), v0–5. v1 adds rebalance_timeout_ms, v2 throttle time, v5
// group_instance_id (static membership). protocol_name stays a non-nullable STRING through
// v6 (G11): send "" on errors. Only the leader's response carries `members`.

/// JoinGroup request: a member (re)joining a consumer group with its supported assignors.
public struct JoinGroupRequest: KafkaRequestMessage {
    public typealias Response = JoinGroupResponse
    public static let apiKey = ApiKey.joinGroup

    /// One assignment protocol the member supports, with its opaque subscription metadata.
    public struct GroupProtocol: Equatable, Sendable {
        public var name: String
        public var metadata: [UInt8]

        /// A protocol entry.
        public init(name: String, metadata: [UInt8]) {
            self.name = name
            self.metadata = metadata
        }
    }

    public var groupId: String
    public var sessionTimeoutMs: Int32
    /// v1+; -1 before v1 (the session timeout applies).
    public var rebalanceTimeoutMs: Int32
    /// "" on a first join.
    public var memberId: String
    /// v5+.
    public var groupInstanceId: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]

    /// A request; fields absent in a version keep their defaults.
    public init(
        groupId: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32 = -1, memberId: String,
        groupInstanceId: String? = nil, protocolType: String, protocols: [GroupProtocol]
    ) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let groupId = try reader.readInt16String()
        let sessionTimeoutMs = try reader.readInt32()
        let rebalanceTimeoutMs = version >= 1 ? try reader.readInt32() : -1
        let memberId = try reader.readInt16String()
        let groupInstanceId = version >= 5 ? try reader.readNullableInt16String() : nil
        let protocolType = try reader.readInt16String()
        let protocols = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            GroupProtocol(name: try reader.readInt16String(), metadata: try reader.readInt32Bytes())
        }
        return JoinGroupRequest(
            groupId: groupId, sessionTimeoutMs: sessionTimeoutMs, rebalanceTimeoutMs: rebalanceTimeoutMs,
            memberId: memberId, groupInstanceId: groupInstanceId, protocolType: protocolType, protocols: protocols)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        writer.writeInteger(sessionTimeoutMs)
        if version >= 1 { writer.writeInteger(rebalanceTimeoutMs) }
        writer.writeInt16String(memberId)
        if version >= 5 { writer.writeInt16String(groupInstanceId) }
        writer.writeInt16String(protocolType)
        writer.writeKafkaArray(protocols) { writer, proto in
            writer.writeInt16String(proto.name)
            writer.writeInt32Bytes(proto.metadata)
        }
    }
}

/// JoinGroup response: the new generation, the chosen protocol and, for the leader, all members.
public struct JoinGroupResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.joinGroup

    /// One group member, as the leader sees it.
    public struct Member: Equatable, Sendable {
        public var memberId: String
        /// v5+.
        public var groupInstanceId: String?
        public var metadata: [UInt8]

        /// A member entry; `groupInstanceId` only travels in v5+.
        public init(memberId: String, groupInstanceId: String? = nil, metadata: [UInt8]) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }
    }

    /// v2+.
    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode
    public var generationId: Int32
    /// "" on errors; never null before v7 (G11).
    public var protocolName: String
    public var leader: String
    public var memberId: String
    /// Non-empty only in the leader's response.
    public var members: [Member]

    /// A response; fields absent in a version keep their defaults.
    public init(
        throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, generationId: Int32 = -1,
        protocolName: String = "", leader: String = "", memberId: String, members: [Member] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.generationId = generationId
        self.protocolName = protocolName
        self.leader = leader
        self.memberId = memberId
        self.members = members
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 2 ? try reader.readInt32() : 0
        let errorCode = try reader.readErrorCode()
        let generationId = try reader.readInt32()
        let protocolName = try reader.readInt16String()
        let leader = try reader.readInt16String()
        let memberId = try reader.readInt16String()
        let members = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            let memberId = try reader.readInt16String()
            let instanceId = version >= 5 ? try reader.readNullableInt16String() : nil
            return Member(memberId: memberId, groupInstanceId: instanceId, metadata: try reader.readInt32Bytes())
        }
        return JoinGroupResponse(
            throttleTimeMs: throttleTimeMs, errorCode: errorCode, generationId: generationId,
            protocolName: protocolName, leader: leader, memberId: memberId, members: members)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 2 { writer.writeInteger(throttleTimeMs) }
        writer.writeErrorCode(errorCode)
        writer.writeInteger(generationId)
        writer.writeInt16String(protocolName)
        writer.writeInt16String(leader)
        writer.writeInt16String(memberId)
        writer.writeKafkaArray(members) { writer, member in
            writer.writeInt16String(member.memberId)
            if version >= 5 { writer.writeInt16String(member.groupInstanceId) }
            writer.writeInt32Bytes(member.metadata)
        }
    }
}

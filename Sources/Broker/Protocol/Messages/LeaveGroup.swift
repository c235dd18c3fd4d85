import Wire

// LeaveGroup (key 13), v0–3. v0–2 name one member (librdkafka sends v1); v3 carries a batch of
// members with per-member errors (kafka-python sends v3). `leavingMembers` gives one view of both.

/// LeaveGroup request: one or more members leaving a group.
public struct LeaveGroupRequest: KafkaRequestMessage {
    public typealias Response = LeaveGroupResponse
    public static let apiKey = ApiKey.leaveGroup

    /// One leaving member (v3+).
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?

        /// A member entry.
        public init(memberId: String, groupInstanceId: String? = nil) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
        }
    }

    public var groupId: String
    /// v0–2.
    public var memberId: String
    /// v3+.
    public var members: [Member]

    /// A request; `memberId` travels in v0–2 and `members` in v3+.
    public init(groupId: String, memberId: String = "", members: [Member] = []) {
        self.groupId = groupId
        self.memberId = memberId
        self.members = members
    }

    /// The leaving members whatever the version: `members` at v3+, else `memberId` alone.
    public func leavingMembers(version: Int16) -> [Member] {
        version >= 3 ? members : [Member(memberId: memberId)]
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var request = LeaveGroupRequest(groupId: try reader.readInt16String())
        if version >= 3 {
            request.members = try reader.readKafkaArray(minElementBytes: 4) { reader throws(DecodeError) in
                Member(memberId: try reader.readInt16String(), groupInstanceId: try reader.readNullableInt16String())
            }
        } else {
            request.memberId = try reader.readInt16String()
        }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        if version >= 3 {
            writer.writeKafkaArray(members) { writer, member in
                writer.writeInt16String(member.memberId)
                writer.writeInt16String(member.groupInstanceId)
            }
        } else {
            writer.writeInt16String(memberId)
        }
    }
}

/// LeaveGroup response: a group-level error and, at v3+, one result per member.
public struct LeaveGroupResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.leaveGroup

    /// One member's result (v3+).
    public struct Member: Equatable, Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var errorCode: KafkaErrorCode

        /// A member entry.
        public init(memberId: String, groupInstanceId: String? = nil, errorCode: KafkaErrorCode = .noError) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.errorCode = errorCode
        }
    }

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode
    /// v3+.
    public var members: [Member]

    /// A response; fields absent in a version keep their defaults.
    public init(throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, members: [Member] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.members = members
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var response = LeaveGroupResponse()
        if version >= 1 { response.throttleTimeMs = try reader.readInt32() }
        response.errorCode = try reader.readErrorCode()
        if version >= 3 {
            response.members = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
                Member(
                    memberId: try reader.readInt16String(), groupInstanceId: try reader.readNullableInt16String(),
                    errorCode: try reader.readErrorCode())
            }
        }
        return response
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 1 { writer.writeInteger(throttleTimeMs) }
        writer.writeErrorCode(errorCode)
        if version >= 3 {
            writer.writeKafkaArray(members) { writer, member in
                writer.writeInt16String(member.memberId)
                writer.writeInt16String(member.groupInstanceId)
                writer.writeErrorCode(member.errorCode)
            }
        }
    }
}

import Wire

// SyncGroup (key 14), v0–3. The leader sends every member's assignment; followers send none and
// wait. v1 adds throttle time, v3 group_instance_id. Assignments are opaque bytes.

/// SyncGroup request: the leader's assignments, or a follower waiting for its own.
public struct SyncGroupRequest: KafkaRequestMessage {
    public typealias Response = SyncGroupResponse
    public static let apiKey = ApiKey.syncGroup

    /// One member's assignment.
    public struct Assignment: Equatable, Sendable {
        public var memberId: String
        public var assignment: [UInt8]

        /// An assignment entry.
        public init(memberId: String, assignment: [UInt8]) {
            self.memberId = memberId
            self.assignment = assignment
        }
    }

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+.
    public var groupInstanceId: String?
    /// Empty from followers.
    public var assignments: [Assignment]

    /// A request; `groupInstanceId` only travels in v3+.
    public init(
        groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil,
        assignments: [Assignment]
    ) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.assignments = assignments
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let groupId = try reader.readInt16String()
        let generationId = try reader.readInt32()
        let memberId = try reader.readInt16String()
        let groupInstanceId = version >= 3 ? try reader.readNullableInt16String() : nil
        let assignments = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            Assignment(memberId: try reader.readInt16String(), assignment: try reader.readInt32Bytes())
        }
        return SyncGroupRequest(
            groupId: groupId, generationId: generationId, memberId: memberId, groupInstanceId: groupInstanceId,
            assignments: assignments)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(groupId)
        writer.writeInteger(generationId)
        writer.writeInt16String(memberId)
        if version >= 3 { writer.writeInt16String(groupInstanceId) }
        writer.writeKafkaArray(assignments) { writer, entry in
            writer.writeInt16String(entry.memberId)
            writer.writeInt32Bytes(entry.assignment)
        }
    }
}

/// SyncGroup response: this member's assignment.
public struct SyncGroupResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.syncGroup

    /// v1+.
    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode
    public var assignment: [UInt8]

    /// A response; `throttleTimeMs` only travels in v1+.
    public init(throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, assignment: [UInt8]) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.assignment = assignment
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        return SyncGroupResponse(
            throttleTimeMs: throttleTimeMs, errorCode: try reader.readErrorCode(),
            assignment: try reader.readInt32Bytes())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 1 { writer.writeInteger(throttleTimeMs) }
        writer.writeErrorCode(errorCode)
        writer.writeInt32Bytes(assignment)
    }
}

import Foundation
import Synchronization
import Wire

/// One member of a consumer group (the classic protocol): `join` runs JoinGroup (retrying
/// MEMBER_ID_REQUIRED) and SyncGroup, computing the `range` assignment when this member leads; a
/// background thread heartbeats and raises `needsRejoin` when the coordinator starts a rebalance;
/// `commit` commits offsets under the current generation; `leave` sends LeaveGroup.
/// `join`, `commit` and `leave` block; call them from one thread (the consumer's).
public final class ConsumerGroupMember: Sendable {
    struct Session {
        var memberId = ""
        var generationId: Int32 = -1
        var assignment: GroupAssignment?
        var needsRejoin = true
        var isStopped = false
        /// JoinGroup/SyncGroup and LeaveGroup go here; heartbeats have their own connection so
        /// they never wait behind a held JoinGroup.
        var joinConnection: BrokerConnection?
        var heartbeatConnection: BrokerConnection?
        var lastHeartbeatNs: UInt64 = 0
    }

    public let client: KafkaClient
    public let config: GroupMemberConfig
    let session = Mutex(Session())
    let bell = Doorbell()

    /// A member that has not joined yet; its heartbeat thread starts at once and idles until then.
    public init(client: KafkaClient, config: GroupMemberConfig) throws(KafkaClientError) {
        if let problem = config.problem { throw .invalidConfig(problem) }
        self.client = client
        self.config = config
        let thread = Thread { [weak self] in
            while true {
                guard let member = self, member.heartbeatStep() else { return }
            }
        }
        thread.name = "spate-kafka-heartbeat"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    deinit {
        let connections = session.withLock { session in
            session.isStopped = true
            return [session.joinConnection, session.heartbeatConnection]
        }
        for connection in connections { connection?.close() }
        bell.ring()
    }

    /// The assignment of the last completed join, nil before the first.
    public var assignment: GroupAssignment? { session.withLock { $0.assignment } }

    /// True when the coordinator asked for a rejoin (or none happened yet): call `join` again.
    public var needsRejoin: Bool { session.withLock { $0.needsRejoin } }

    /// Commits `offsets` under the current generation; a generation the coordinator no longer
    /// knows marks the member for rejoin and throws.
    public func commit(_ offsets: [TopicPartition: Int64]) throws(KafkaClientError) {
        let (memberId, generation) = session.withLock { ($0.memberId, $0.generationId) }
        do throws(KafkaClientError) {
            try client.commitOffsets(
                group: config.groupId, offsets: offsets, generationId: generation, memberId: memberId)
        } catch {
            if let code = error.kafkaCode, [.rebalanceInProgress, .illegalGeneration, .unknownMemberId].contains(code) {
                session.withLock { $0.needsRejoin = true }
            }
            throw error
        }
    }

    /// Leaves the group (LeaveGroup) and stops heartbeating; best effort, never throws.
    public func leave() {
        let (memberId, connection) = session.withLock { session -> (String, BrokerConnection?) in
            session.isStopped = true
            session.needsRejoin = true
            session.assignment = nil
            return (session.memberId, session.joinConnection)
        }
        bell.ring()
        if !memberId.isEmpty, let connection = connection ?? (try? openCoordinatorConnection()) {
            let request = LeaveGroupRequest(
                groupId: config.groupId, memberId: memberId, members: [.init(memberId: memberId)])
            _ = try? connection.call(request, timeoutMs: client.config.requestTimeoutMs)
        }
        let connections = session.withLock { session in
            defer {
                session.joinConnection = nil
                session.heartbeatConnection = nil
            }
            return [session.joinConnection, session.heartbeatConnection]
        }
        for connection in connections { connection?.close() }
    }

    /// A fresh connection to the group's coordinator (looked up again when `refresh`).
    func openCoordinatorConnection(refresh: Bool = false) throws(KafkaClientError) -> BrokerConnection {
        let node = try client.coordinator(for: config.groupId, refresh: refresh)
        return try BrokerConnection.open(node, config: client.config, frames: client.frameBuffers)
    }
}

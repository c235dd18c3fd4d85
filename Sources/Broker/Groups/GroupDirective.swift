/// What the coordinator asks the shell to do after an event. `respond*` directives answer one
/// request token each, exactly once over the coordinator's life; `persistOffsets` answers nothing:
/// the shell writes the batch durably, then reports back with `GroupCoordinator.offsetsPersisted`.
public enum GroupDirective: Equatable, Sendable {
    /// Send this JoinGroup response for the request named by the token.
    case respondJoin(GroupRequestToken, JoinGroupResponse)
    /// Send this SyncGroup response.
    case respondSync(GroupRequestToken, SyncGroupResponse)
    /// Send this Heartbeat response.
    case respondHeartbeat(GroupRequestToken, HeartbeatResponse)
    /// Send this LeaveGroup response.
    case respondLeave(GroupRequestToken, LeaveGroupResponse)
    /// Send this OffsetCommit response.
    case respondCommit(GroupRequestToken, OffsetCommitResponse)
    /// Write the batch to the `OffsetStore`, then call `offsetsPersisted(token:succeeded:)`.
    case persistOffsets(GroupRequestToken, OffsetCommitBatch)

    /// The request this directive answers; nil for `persistOffsets`, which only prepares an answer.
    public var answeredToken: GroupRequestToken? {
        switch self {
        case .respondJoin(let token, _), .respondSync(let token, _), .respondHeartbeat(let token, _),
            .respondLeave(let token, _), .respondCommit(let token, _):
            return token
        case .persistOffsets:
            return nil
        }
    }
}

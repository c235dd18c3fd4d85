/// Tunables of the group coordinator, named and defaulted after Apache Kafka's broker settings.
public struct GroupCoordinatorConfig: Equatable, Sendable {
    /// `group.initial.rebalance.delay.ms`: how long a group leaving Empty waits for more joiners.
    public var initialRebalanceDelayMs: Int64
    /// `group.min.session.timeout.ms`: shorter session timeouts get INVALID_SESSION_TIMEOUT.
    public var sessionTimeoutMinMs: Int32
    /// `group.max.session.timeout.ms`: longer session timeouts get INVALID_SESSION_TIMEOUT.
    public var sessionTimeoutMaxMs: Int32
    /// How long a brand-new member may wait in its first JoinGroup before it is dropped (Kafka: 5 min).
    public var newMemberJoinTimeoutMs: Int64
    /// `group.max.size`: members plus MEMBER_ID_REQUIRED ids per group; beyond it joins get 81.
    public var groupMembersMax: Int
    /// Groups with live membership this coordinator tracks; a join that would create more gets 15.
    public var groupsMax: Int
    /// `offset.metadata.max.bytes`: longer commit metadata gets OFFSET_METADATA_TOO_LARGE.
    public var offsetMetadataBytesMax: Int
    /// Timer firings processed per group per event; bounds the catch-up loop after a long pause.
    public var timerFiringsPerEventMax: Int

    /// A configuration; every value defaults to Kafka's default or a generous Spate limit.
    public init(
        initialRebalanceDelayMs: Int64 = 3000, sessionTimeoutMinMs: Int32 = 6000,
        sessionTimeoutMaxMs: Int32 = 1_800_000, newMemberJoinTimeoutMs: Int64 = 300_000,
        groupMembersMax: Int = 1000, groupsMax: Int = 10_000, offsetMetadataBytesMax: Int = 4096,
        timerFiringsPerEventMax: Int = 10_000
    ) {
        precondition(initialRebalanceDelayMs >= 0, "initialRebalanceDelayMs must not be negative")
        precondition(0 < sessionTimeoutMinMs && sessionTimeoutMinMs <= sessionTimeoutMaxMs, "bad session bounds")
        precondition(newMemberJoinTimeoutMs > 0 && groupMembersMax > 0 && groupsMax > 0, "limits must be positive")
        precondition(offsetMetadataBytesMax >= 0 && timerFiringsPerEventMax > 0, "limits must be positive")
        self.initialRebalanceDelayMs = initialRebalanceDelayMs
        self.sessionTimeoutMinMs = sessionTimeoutMinMs
        self.sessionTimeoutMaxMs = sessionTimeoutMaxMs
        self.newMemberJoinTimeoutMs = newMemberJoinTimeoutMs
        self.groupMembersMax = groupMembersMax
        self.groupsMax = groupsMax
        self.offsetMetadataBytesMax = offsetMetadataBytesMax
        self.timerFiringsPerEventMax = timerFiringsPerEventMax
    }
}

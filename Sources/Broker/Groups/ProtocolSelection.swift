/// The assignor choice of Kafka's ClassicGroup.selectProtocol: candidates are the protocols every
/// member supports, each member votes for its first candidate, and the most votes win. Kafka
/// leaves ties to hash order; Spate gives them to the protocol the leader ranks higher.
enum ProtocolSelection {
    /// Protocol names supported by every one of `memberProtocols` (each a member's list).
    static func candidates(_ memberProtocols: [[JoinGroupRequest.GroupProtocol]]) -> Set<String> {
        guard let first = memberProtocols.first else { return [] }
        var common = Set(first.map(\.name))
        for protocols in memberProtocols.dropFirst() { common.formIntersection(protocols.map(\.name)) }
        return common
    }

    /// True if a member offering `protocols` can join members offering `others`.
    static func isCompatible(
        _ protocols: [JoinGroupRequest.GroupProtocol], with others: [[JoinGroupRequest.GroupProtocol]]
    )
        -> Bool
    {
        guard !protocols.isEmpty else { return false }
        guard !others.isEmpty else { return true }
        return !candidates(others).isDisjoint(with: protocols.map(\.name))
    }

    /// The winning protocol; `members` must share a candidate and `leader` must be one of them.
    static func select(members: [[JoinGroupRequest.GroupProtocol]], leader: [JoinGroupRequest.GroupProtocol]) -> String
    {
        let common = candidates(members)
        precondition(!common.isEmpty, "members share no protocol; joins must have refused the last one")
        var votes: [String: Int] = [:]
        for protocols in members {
            if let choice = protocols.first(where: { common.contains($0.name) }) { votes[choice.name, default: 0] += 1 }
        }
        let leaderRank = Dictionary(leader.enumerated().map { ($1.name, $0) }, uniquingKeysWith: min)
        let best = common.max { lhs, rhs in
            let (lhsVotes, rhsVotes) = (votes[lhs, default: 0], votes[rhs, default: 0])
            if lhsVotes != rhsVotes { return lhsVotes < rhsVotes }
            return leaderRank[lhs, default: Int.max] > leaderRank[rhs, default: Int.max]
        }
        guard let best else { preconditionFailure("a non-empty candidate set has a maximum") }
        return best
    }
}

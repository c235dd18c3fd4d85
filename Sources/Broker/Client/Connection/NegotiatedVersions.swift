/// The version of each API one connection uses: `min(client max, broker max)`, provided that is not
/// below either side's minimum (KAFKA-PROTOCOL.md §2, as both reference clients do it).
public struct NegotiatedVersions: Equatable, Sendable {
    private let versions: [ApiKey: Int16]

    /// Versions from a broker's ApiVersions ranges; unknown api keys are ignored.
    public init(broker ranges: [ApiVersionRange]) {
        var versions: [ApiKey: Int16] = [:]
        for range in ranges {
            guard let key = ApiKey(rawValue: range.apiKey) else { continue }
            let ours = Self.clientRange(key)
            let chosen = min(ours.upperBound, range.maxVersion)
            if chosen >= max(ours.lowerBound, range.minVersion) { versions[key] = chosen }
        }
        self.versions = versions
    }

    /// The version to send for `key`, or nil when the broker and this client share none.
    public func version(for key: ApiKey) -> Int16? { versions[key] }

    /// The versions this client speaks: the codec's, narrowed where older versions mean other
    /// semantics (Produce/Fetch before v3/v4 carry legacy message sets; Metadata v0 reads [] as
    /// "all topics"; JoinGroup v0 lacks a rebalance timeout).
    public static func clientRange(_ key: ApiKey) -> ClosedRange<Int16> {
        let codec = key.codecVersions
        let floor: Int16 =
            switch key {
            case .produce: 3
            case .fetch: 4
            case .metadata: 1
            case .joinGroup: 1
            default: codec.lowerBound
            }
        // ApiVersions v3+ is flexible; v2 is what every broker since Kafka 2.0 answers directly.
        let ceiling: Int16 = key == .apiVersions ? 2 : codec.upperBound
        return max(floor, codec.lowerBound)...ceiling
    }
}

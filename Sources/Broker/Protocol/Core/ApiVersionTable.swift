/// One entry of an ApiVersions response: the version range a broker supports for one API key.
public struct ApiVersionRange: Equatable, Hashable, Sendable {
    /// Raw api key, so ranges for APIs Spate does not know survive a decode.
    public var apiKey: Int16
    /// Lowest supported version.
    public var minVersion: Int16
    /// Highest supported version.
    public var maxVersion: Int16

    /// A range for `apiKey` from `minVersion` through `maxVersion`.
    public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
        self.apiKey = apiKey
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// The versions a broker accepts and advertises, one range per API.
public struct ApiVersionTable: Equatable, Sendable {
    /// Accepted versions per API; an API missing here is refused as unsupported.
    public let ranges: [ApiKey: ClosedRange<Int16>]

    /// A table from explicit ranges; each must lie inside the API's codec versions.
    public init(_ ranges: [ApiKey: ClosedRange<Int16>]) {
        for (key, range) in ranges {
            precondition(
                key.codecVersions.contains(range.lowerBound) && key.codecVersions.contains(range.upperBound),
                "\(key) versions \(range) lie outside the codec's \(key.codecVersions)")
        }
        self.ranges = ranges
    }

    /// KAFKA-PROTOCOL.md §1's recommended table: every required API at its "Advertise min–max".
    public static let recommended = ApiVersionTable(
        Dictionary(uniqueKeysWithValues: ApiKey.allCases.map { ($0, $0.advertisedVersions) }))

    /// The recommended table with ApiVersions widened to 0–4 (profile `nonflex_av4`), which lets
    /// both clients skip the UNSUPPORTED_VERSION round trip on every new connection.
    public static let recommendedWithFlexibleApiVersions: ApiVersionTable = {
        var ranges = recommended.ranges
        ranges[.apiVersions] = ApiKey.apiVersions.codecVersions
        return ApiVersionTable(ranges)
    }()

    /// The accepted range for `key`, if any.
    public func range(for key: ApiKey) -> ClosedRange<Int16>? { ranges[key] }

    /// True when `version` of `key` is accepted.
    public func supports(_ key: ApiKey, version: Int16) -> Bool { ranges[key]?.contains(version) ?? false }

    /// The table as ApiVersions response entries, ordered by api key as Kafka lists them.
    public var entries: [ApiVersionRange] {
        ranges.sorted { $0.key.rawValue < $1.key.rawValue }.map { key, range in
            ApiVersionRange(apiKey: key.rawValue, minVersion: range.lowerBound, maxVersion: range.upperBound)
        }
    }
}

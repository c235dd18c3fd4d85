import Wire

/// Why aggregation state refused to load, restore or grow.
public enum StateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state outgrew its memory limit; the task fails and the state must be restored.
    case memoryLimitExceeded(partition: Int, bytes: Int, limitBytes: Int)
    /// A batch id at or below the state's version: that batch was already applied.
    case staleBatch(batchId: Int64, version: Int64)
    /// A delta does not follow the state's version (missing or out-of-order delta).
    case versionGap(expectedPrevious: Int64, found: Int64)
    /// The bytes are truncated or not well-formed state.
    case malformed(DecodeError)
    /// The bytes' format version is not one this build reads.
    case unsupportedVersion(UInt8)
    /// The bytes were written for a different aggregation.
    case layoutMismatch
    /// A snapshot was given where a delta was expected, or the other way round.
    case wrongKind(expected: String)
    /// The state belongs to another partition than the task's.
    case wrongPartition(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .memoryLimitExceeded(let partition, let bytes, let limitBytes):
            "state of partition \(partition) holds \(bytes) bytes, over its limit of \(limitBytes)"
        case .staleBatch(let batchId, let version):
            "batch \(batchId) is not after the state's version \(version)"
        case .versionGap(let expectedPrevious, let found):
            "a state delta follows version \(found), but the state is at version \(expectedPrevious)"
        case .malformed(let error): "malformed state bytes: \(error)"
        case .unsupportedVersion(let version): "state format version \(version) is not supported"
        case .layoutMismatch: "the state bytes were written for a different aggregation"
        case .wrongKind(let expected): "expected a state \(expected)"
        case .wrongPartition(let expected, let found): "the state is partition \(found), not partition \(expected)"
        }
    }
}

import Wire

/// Why a partition log operation failed.
public enum LogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(PosixError)
    /// `append` refused the bytes; the case says why.
    case invalidBatch(RecordBatchError)
    /// A read or lookup asked for an offset outside [logStartOffset, logEndOffset].
    case offsetOutOfRange(offset: Int64, logStartOffset: Int64, logEndOffset: Int64)
    /// Segment files contradict each other or changed under the log in a way recovery cannot cut away.
    case corruptSegment(path: String, position: Int64, reason: String)
    /// The log was closed.
    case closed(directory: String)

    /// The Kafka error code the broker answers with.
    public var kafkaErrorCode: KafkaErrorCode {
        switch self {
        case .io, .corruptSegment: .kafkaStorageError
        case .invalidBatch(let reason): reason.kafkaErrorCode
        case .offsetOutOfRange: .offsetOutOfRange
        // A closing partition is going away from this node; clients retry and refresh metadata.
        case .closed: .notLeaderOrFollower
        }
    }

    public var description: String {
        switch self {
        case .io(let error): return "log I/O failed: \(error)"
        case .invalidBatch(let reason): return "invalid record batch: \(reason)"
        case .offsetOutOfRange(let offset, let start, let end):
            return "offset \(offset) is outside the log's range [\(start), \(end)]"
        case .corruptSegment(let path, let position, let reason):
            return "segment \(path) is corrupt at byte \(position): \(reason)"
        case .closed(let directory): return "the log in \(directory) is closed"
        }
    }
}

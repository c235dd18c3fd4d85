import Wire

/// Why a checkpoint could not be read or written; every case names the file.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(PosixError)
    /// The file is shorter than its header or its body says: a torn or truncated write.
    case truncated(path: String)
    /// The file was written by a format version this build does not read.
    case unsupportedVersion(path: String, found: UInt16, supported: UInt16)
    /// The file holds another kind of record than the name says (e.g. a commit in offsets/).
    case wrongKind(path: String, found: UInt8, expected: UInt8)
    /// The body's checksum does not match: bit rot or garbage.
    case checksumMismatch(path: String)
    /// The body does not decode as its kind.
    case malformed(path: String, reason: String)
    /// Files that cannot all be true at once (a commit without its offsets, a gap in state deltas).
    case inconsistent(path: String, reason: String)
    /// A file the caller asked for does not exist.
    case missing(path: String)

    /// One line for logs and status.
    public var description: String {
        switch self {
        case .io(let error): "checkpoint I/O failed: \(error)"
        case .truncated(let path): "checkpoint file \(path) is truncated"
        case .unsupportedVersion(let path, let found, let supported):
            "checkpoint file \(path) has format version \(found); this build reads version \(supported)"
        case .wrongKind(let path, let found, let expected):
            "checkpoint file \(path) holds record kind \(found), expected \(expected)"
        case .checksumMismatch(let path): "checkpoint file \(path) fails its checksum"
        case .malformed(let path, let reason): "checkpoint file \(path) is malformed: \(reason)"
        case .inconsistent(let path, let reason): "checkpoint \(path) is inconsistent: \(reason)"
        case .missing(let path): "checkpoint file \(path) does not exist"
        }
    }
}

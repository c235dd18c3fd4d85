import Wire

/// Why the offset store could not open, write or compact its log.
public enum OffsetStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(PosixError)
    /// The file does not start with the header this version writes.
    case unsupportedFormat(path: String, reason: String)
    /// The store was closed.
    case closed(path: String)
    /// An earlier failure left the file in an unknown state (e.g. fsync failed); restart to recover.
    case broken(path: String, reason: String)

    public var description: String {
        switch self {
        case .io(let error): "offset store: \(error)"
        case .unsupportedFormat(let path, let reason): "offset store \(path): unsupported format: \(reason)"
        case .closed(let path): "offset store \(path) is closed"
        case .broken(let path, let reason): "offset store \(path) is unusable after an earlier failure: \(reason)"
        }
    }
}

import Wire

/// Why the broker's topic store could not open, create or persist topics.
public enum TopicStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(PosixError)
    /// A partition log could not be opened or recovered.
    case log(topic: String, partition: Int32, LogError)
    /// A metadata file is not one this version can read.
    case unsupportedFormat(path: String, reason: String)
    /// The store has been closed.
    case closed

    public var description: String {
        switch self {
        case .io(let error): "topic store: \(error)"
        case .log(let topic, let partition, let error): "partition \(topic)-\(partition): \(error)"
        case .unsupportedFormat(let path, let reason): "\(path): unsupported format: \(reason)"
        case .closed: "the topic store is closed"
        }
    }
}

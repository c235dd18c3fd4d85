/// Why an executor could not start.
public enum ExecutorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidConfig(String)
    /// An address does not parse or resolve.
    case badAddress(String)
    /// The shuffle server could not listen.
    case listenFailed(String)

    public var description: String {
        switch self {
        case .invalidConfig(let reason): "invalid executor configuration: \(reason)"
        case .badAddress(let reason): "bad address: \(reason)"
        case .listenFailed(let reason): reason
        }
    }
}

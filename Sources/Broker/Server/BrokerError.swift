import Wire

/// Why a broker could not start.
public enum BrokerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The configuration is unusable.
    case invalidConfig(String)
    /// The bind address does not parse or resolve.
    case badAddress(SocketAddress.ParseError)
    /// Listening failed (the port is taken, say).
    case listen(PosixError)
    /// The data directory could not be created, opened or locked.
    case dataDirectory(path: String, reason: String)
    /// Topics or producer ids could not be loaded.
    case topics(TopicStoreError)
    /// Committed offsets could not be loaded.
    case offsets(OffsetStoreError)

    public var description: String {
        switch self {
        case .invalidConfig(let reason): "invalid broker configuration: \(reason)"
        case .badAddress(let error): "bad listen address: \(error)"
        case .listen(let error): "cannot listen: \(error)"
        case .dataDirectory(let path, let reason): "data directory \(path): \(reason)"
        case .topics(let error): "cannot open topics: \(error)"
        case .offsets(let error): "cannot open committed offsets: \(error)"
        }
    }
}

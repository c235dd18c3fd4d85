/// Names one request the shell is waiting to answer. The shell picks the value (a connection id
/// and correlation id packed together, or a counter); the coordinator only compares tokens.
public struct GroupRequestToken: Hashable, Sendable, CustomStringConvertible {
    /// The shell's identifier for the request.
    public var rawValue: UInt64

    /// A token with the shell's identifier.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public var description: String { "token#\(rawValue)" }
}

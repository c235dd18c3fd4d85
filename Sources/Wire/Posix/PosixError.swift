#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call: which call, on what, and the errno it returned.
public struct PosixError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The system call's name, e.g. "connect".
    public let call: String
    /// The errno value the call reported.
    public let errno: Int32
    /// What the call acted on (a path or an address), when known.
    public let context: String

    /// An error for `call` that failed with `errno`.
    public init(call: String, errno: Int32, context: String = "") {
        self.call = call
        self.errno = errno
        self.context = context
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        return context.isEmpty
            ? "\(call): \(reason) (errno \(errno))" : "\(call) \(context): \(reason) (errno \(errno))"
    }
}

/// One broker a client can connect to: its node id (negative for a bootstrap address whose id is
/// not known yet) and address.
public struct BrokerNode: Hashable, Sendable, CustomStringConvertible {
    /// The broker's `node.id`, or a negative placeholder for a bootstrap address.
    public var nodeId: Int32
    public var host: String
    public var port: Int32

    /// A node at `host:port`.
    public init(nodeId: Int32, host: String, port: Int32) {
        self.nodeId = nodeId
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 literal.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public var description: String { nodeId >= 0 ? "node \(nodeId) at \(address)" : address }
}

import Wire

/// The host other executors are told to fetch shuffle blocks from.
enum AdvertisedHost {
    /// The configured host, else the bind address, else (bound to a wildcard) the local address
    /// this machine uses to reach the driver: the one interface the driver surely can route back to.
    static func resolve(advertise: String?, bindHost: String, driverAddress: String, connectTimeoutMs: Int) async throws
        -> String
    {
        if let advertise, !advertise.isEmpty { return advertise }
        guard isWildcard(bindHost) else { return bindHost }
        return try await offPool { () throws -> String in
            let socket = try Socket.connect(to: try SocketAddress(parsing: driverAddress), timeoutMs: connectTimeoutMs)
            defer { socket.close() }
            return try socket.localAddress().host
        }
    }

    /// True for addresses that mean "every interface".
    static func isWildcard(_ host: String) -> Bool {
        ["", "0.0.0.0", "::", "[::]", "*"].contains(host)
    }
}

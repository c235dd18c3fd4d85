import Foundation
import Query
import Wire

extension DriverService {
    /// Starts the cluster shell and both servers, then resumes the checkpoint's running jobs.
    /// Blocking (it reads the checkpoint); call it from a thread of your own.
    public func start() throws(DriverError) {
        cluster.start()
        var options = RPCOptions()
        options.name = "spate-driver"
        let rpc = RPCServer(options: options)
        let gate = ClusterAuthGate(secret: config.secret) { SecureRandom.bytes(ClusterAuth.nonceBytes) }
        gate.install(on: rpc.handlers)
        cluster.install(on: rpc.handlers, gate: gate)
        installClientHandlers(on: rpc.handlers, gate: gate)
        let rpcAddress = try listenAddress(config.rpcPort)
        let boundRPC: SocketAddress
        do throws(PosixError) {
            boundRPC = try rpc.start(on: rpcAddress)
        } catch {
            throw .listen("RPC on \(rpcAddress)", error)
        }
        var boundHTTP: SocketAddress?
        var http: HTTPServer?
        if let port = config.httpPort {
            let httpAddress = try listenAddress(port)
            do throws(PosixError) {
                let server = try HTTPServer(listeningOn: httpAddress, router: router())
                http = server
                boundHTTP = server.address
            } catch {
                throw .listen("HTTP on \(httpAddress)", error)
            }
        }
        servers.withLock { $0 = (rpc, http) }
        addresses.withLock { $0 = (boundRPC, boundHTTP) }
        try resumeJobs()
    }

    private func listenAddress(_ port: UInt16) throws(DriverError) -> SocketAddress {
        do throws(SocketAddress.ParseError) {
            return try SocketAddress(host: config.bindHost, port: port)
        } catch {
            throw .badAddress("cannot listen on \(config.bindHost):\(port): \(error)")
        }
    }

    /// Stops cleanly: running jobs abandon their batch in flight uncommitted (they stay `running` in
    /// the checkpoint and resume when the driver starts again), executors are let go, servers close.
    public func shutdown() async {
        let runners = jobs.withLock { jobs -> [JobRunner] in
            jobs.stopping = true
            return jobs.entries.values.compactMap(\.runner)
        }
        for runner in runners { runner.shutdown() }
        cluster.stop()
        // A job blocked in a broker call gets a while to notice; the process may exit regardless.
        let deadline = MonotonicClock.milliseconds() + 10_000
        while runners.contains(where: { !$0.isFinished }) && MonotonicClock.milliseconds() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        let (rpc, http) = servers.withLock { $0 }
        await rpc?.stop()
        await http?.stop()
    }
}

import Query
import Wire

/// Why a CLI request to the driver failed.
public enum DriverClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No driver answered at the address.
    case unreachable(address: String, reason: String)
    /// The driver wants a secret this client does not have, or a different one.
    case unauthorized(String)
    /// The driver refused the request; its message says why (a compiler error, an unknown job).
    case refused(String)
    /// The connection failed mid-request, or the answer did not decode.
    case failed(String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .unreachable(let address, let reason): "cannot reach the driver at \(address): \(reason)"
        case .unauthorized(let message):
            "the driver refused the secret (\(message)); pass the driver's --secret or set SPATE_SECRET"
        case .refused(let message): message
        case .failed(let message): message
        }
    }
}

/// The CLI's connection to a driver: `spate submit`, `jobs`, `status`, `stop`.
public final class DriverClient: Sendable {
    private let connection: RPCConnection
    private let timeoutMs: Int

    private init(connection: RPCConnection, timeoutMs: Int) {
        self.connection = connection
        self.timeoutMs = timeoutMs
    }

    /// Connects to the driver at "host:port" and, with a secret, authenticates.
    public static func connect(to address: String, secret: String?, timeoutMs: Int = 30_000)
        async throws(DriverClientError) -> DriverClient
    {
        var options = RPCOptions()
        options.name = "spate-cli"
        options.callTimeoutMs = timeoutMs
        let connection: RPCConnection
        do throws(RPCError) {
            connection = try await RPCClient.connect(to: address, options: options)
        } catch {
            throw .unreachable(address: address, reason: "\(error)")
        }
        if let secret {
            do throws(ClusterAuthError) {
                try await ClusterAuth.authenticate(connection, secret: secret)
            } catch {
                await connection.close()
                if case .rejected(let message) = error { throw .unauthorized(message) }
                throw .failed("\(error)")
            }
        }
        return DriverClient(connection: connection, timeoutMs: timeoutMs)
    }

    /// Submits a job; returns its id.
    public func submit(name: String?, sql: String, fileName: String) async throws(DriverClientError) -> String {
        let answer = try await call(.submitJob, SubmitJob(name: name, sql: sql, fileName: fileName).encoded())
        do throws(DecodeError) {
            return try JobSubmitted.decode(answer).jobId
        } catch {
            throw .failed("malformed answer from the driver: \(error)")
        }
    }

    /// Every job, as the driver's JSON array.
    public func listJobs() async throws(DriverClientError) -> [UInt8] {
        try await call(.listJobs, [])
    }

    /// One job in full, as the driver's JSON object.
    public func status(jobId: String) async throws(DriverClientError) -> [UInt8] {
        try await call(.jobStatus, JobRequest(jobId: jobId).encoded())
    }

    /// Stops a job after its current batch; returns once it has stopped.
    public func stop(jobId: String, timeoutMs: Int = 600_000) async throws(DriverClientError) {
        _ = try await call(.stopJob, JobRequest(jobId: jobId).encoded(), timeoutMs: timeoutMs)
    }

    /// Closes the connection.
    public func close() async { await connection.close() }

    private func call(_ kind: ClusterMessageKind, _ body: [UInt8], timeoutMs: Int? = nil)
        async throws(DriverClientError) -> [UInt8]
    {
        do throws(RPCError) {
            return try await connection.call(kind.rawValue, body, timeoutMs: timeoutMs ?? self.timeoutMs)
        } catch {
            switch error {
            case .remote(let code, let message) where code == .unauthorized: throw .unauthorized(message)
            case .remote(let code, let message) where code == .badRequest: throw .refused(message)
            default: throw .failed("request to the driver failed: \(error)")
            }
        }
    }
}

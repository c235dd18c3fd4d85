import Foundation
import Query
import Synchronization
import Testing
import Wire

@testable import Driver

/// A driver on free ports over a temporary checkpoint, with a fake broker.
final class DriverFixture: Sendable {
    let service: DriverService
    let broker: FakeBroker
    let console = LogLines()
    let root: String

    init(root: String, broker: FakeBroker, secret: String? = nil) async throws {
        self.root = root
        self.broker = broker
        let lines = console
        var config = DriverConfig(
            checkpointDirectory: "\(root)/checkpoint", brokerAddress: "127.0.0.1:9092", rpcPort: 0, httpPort: 0,
            secret: secret, heartbeatTimeoutMs: 60_000, workingDirectory: root, pollIntervalMs: 5,
            console: { lines.append($0) })
        config.stopGraceMs = 200
        service = try DriverService(config: config) { _ in broker }
        let started = service
        try await offPool { () throws(DriverError) in try started.start() }
    }

    var rpcAddress: SocketAddress { service.rpcAddress! }

    func client(secret: String? = nil) async throws -> DriverClient {
        try await DriverClient.connect(to: rpcAddress.description, secret: secret, timeoutMs: safetyNetMs)
    }

    /// A GET of `path` on the HTTP port: status and body.
    func get(_ path: String) async throws -> (Int, String) {
        let address = try #require(service.httpAddress)
        return try await offPool { () throws -> (Int, String) in
            let socket = try Socket.connect(to: address, timeoutMs: safetyNetMs)
            defer { socket.close() }
            try socket.writeAll(Array("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let got = try chunk.withUnsafeMutableBytes { try socket.read(into: $0) }
                guard case .processed(let count) = got, count > 0 else { break }
                bytes += chunk[0..<count]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
            let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            return (status, body)
        }
    }
}

/// Decodes a JSON object or array the driver returned.
func json(_ bytes: [UInt8]) throws -> Any { try JSONSerialization.jsonObject(with: Data(bytes)) }

/// The driver as the CLI and executors see it: submit, list, status, stop, resume, auth, HTTP.
@Suite struct DriverServiceTests {
    static let sql = """
        CREATE STREAM clicks (ts TIMESTAMP, user_id STRING) WITH (topic = 'clicks', format = 'json');
        CREATE SINK out WITH (type = 'console', shuffle_partitions = 2);
        INSERT INTO out SELECT user_id, count(*) AS n FROM clicks GROUP BY user_id;
        """

    static func broker() -> FakeBroker {
        let broker = FakeBroker()
        broker.append("clicks", partition: 0, values: Array(repeating: [1], count: 5), partitions: 2)
        return broker
    }

    static func status(_ client: DriverClient, _ jobId: String) async throws -> [String: Any] {
        try #require(try json(try await client.status(jobId: jobId)) as? [String: Any])
    }

    @Test func badSQLIsRefusedWithTheCompilersMessageAndNothingStarts() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: Self.broker())
            let client = try await driver.client()
            let bad =
                "CREATE STREAM s (a STRING) WITH (topic = 't', format = 'json');\nINSERT INTO nowhere SELECT b FROM s;"
            await #expect {
                _ = try await client.submit(name: nil, sql: bad, fileName: "jobs/bad.sql")
            } throws: { error in
                guard case .refused(let message) = error as? DriverClientError else { return false }
                return message.hasPrefix("jobs/bad.sql:2:") && message.contains("^")
            }
            #expect(try driver.service.store.jobIds().isEmpty)
            #expect(try json(try await client.listJobs()) as? [Any] != nil)
            #expect((try json(try await client.listJobs()) as? [Any])?.isEmpty == true)
            await client.close()
            await driver.service.shutdown()
        }
    }

    @Test func aSubmittedJobRunsOnExecutorsAndStops() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: Self.broker())
            let client = try await driver.client()
            let jobId = try await client.submit(name: nil, sql: Self.sql, fileName: "/tmp/pv uv.sql")
            #expect(jobId == "pv_uv")
            let executor = try await FakeExecutor.start(driver: driver.rpcAddress, slots: 2, shufflePort: 7100)
            #expect(await eventually { (driver.service.jobSnapshots.first?.lastCommittedBatchId ?? -1) >= 0 })
            #expect(driver.console.all.contains { $0.contains("Batch: 0 (job pv_uv)") })

            let status = try await Self.status(client, jobId)
            #expect(status["state"] as? String == "running")
            #expect((status["plan"] as? String)?.contains("Stage 2 (reduce, 2 tasks") == true)
            #expect((status["executors"] as? [[String: Any]])?.first?["id"] as? String == executor.executorId)
            let progress = try #require((status["recentProgress"] as? [[String: Any]])?.first)
            #expect(progress["batchId"] as? Int == 0 && progress["numInputRows"] as? Int == 5)

            // A second submission of a running job is refused.
            await #expect(throws: DriverClientError.self) {
                _ = try await client.submit(name: "pv_uv", sql: Self.sql, fileName: "x.sql")
            }
            try await client.stop(jobId: jobId)
            #expect(try await Self.status(client, jobId)["state"] as? String == "stopped")
            #expect(try driver.service.store.job(jobId).readMeta().state == .stopped)

            // Different SQL under the same name is refused; the same SQL resumes the job.
            await #expect {
                _ = try await client.submit(name: "pv_uv", sql: Self.sql + "\n-- changed", fileName: "x.sql")
            } throws: { error in
                guard case .refused(let message) = error as? DriverClientError else { return false }
                return message.contains("different SQL")
            }
            driver.broker.append("clicks", partition: 1, values: [[1], [2]])
            #expect(try await client.submit(name: "pv_uv", sql: Self.sql, fileName: "x.sql") == "pv_uv")
            #expect(await eventually { (driver.service.jobSnapshots.first?.lastCommittedBatchId ?? -1) >= 1 })
            let resumed = try await Self.status(client, jobId)
            #expect(resumed["state"] as? String == "running")
            await client.close()
            await driver.service.shutdown()
        }
    }

    @Test func aRestartedDriverResumesRunningJobsButNotStoppedOnes() async throws {
        try await withTemporaryDirectory { root in
            let broker = Self.broker()
            let first = try await DriverFixture(root: root, broker: broker)
            let client = try await first.client()
            _ = try await client.submit(name: "keep", sql: Self.sql, fileName: "a.sql")
            _ = try await client.submit(name: "halt", sql: Self.sql, fileName: "b.sql")
            try await client.stop(jobId: "halt")
            await client.close()
            await first.service.shutdown()

            let second = try await DriverFixture(root: root, broker: broker)
            let states = Dictionary(uniqueKeysWithValues: second.service.jobSnapshots.map { ($0.jobId, $0.state) })
            #expect(states == ["keep": .running, "halt": .stopped])
            _ = try await FakeExecutor.start(driver: second.rpcAddress, slots: 2, shufflePort: 7200)
            #expect(
                await eventually {
                    (second.service.jobSnapshots.first { $0.jobId == "keep" }?.lastCommittedBatchId ?? -1) >= 0
                })
            await second.service.shutdown()
        }
    }

    @Test func theSecretGuardsEveryRequest() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: Self.broker(), secret: "open sesame")
            let anonymous = try await driver.client()
            await #expect(throws: DriverClientError.self) { _ = try await anonymous.listJobs() }
            await #expect {
                _ = try await driver.client(secret: "guess")
            } throws: { error in
                guard case .unauthorized = error as? DriverClientError else { return false }
                return true
            }
            let trusted = try await driver.client(secret: "open sesame")
            #expect((try json(try await trusted.listJobs()) as? [Any])?.isEmpty == true)
            await #expect(throws: (any Error).self) {
                _ = try await FakeExecutor.start(driver: driver.rpcAddress, shufflePort: 7300)
            }
            let executor = try await FakeExecutor.start(
                driver: driver.rpcAddress, shufflePort: 7301, secret: "open sesame")
            #expect(driver.service.cluster.executors.map(\.executorId) == [executor.executorId])
            await trusted.close()
            await driver.service.shutdown()
        }
    }

    @Test func httpServesTheAPIMetricsAndAPage() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: Self.broker())
            let client = try await driver.client()
            _ = try await client.submit(name: "web", sql: Self.sql, fileName: "web.sql")
            _ = try await FakeExecutor.start(driver: driver.rpcAddress, slots: 2, shufflePort: 7400)
            #expect(await eventually { (driver.service.jobSnapshots.first?.lastCommittedBatchId ?? -1) >= 0 })

            let (listStatus, list) = try await driver.get("/api/jobs")
            #expect(listStatus == 200)
            #expect((try json(Array(list.utf8)) as? [[String: Any]])?.first?["id"] as? String == "web")
            let (jobStatus, job) = try await driver.get("/api/jobs/web")
            let detail = try #require(try json(Array(job.utf8)) as? [String: Any])
            #expect(jobStatus == 200 && detail["id"] as? String == "web" && detail["plan"] is String)
            #expect((try await driver.get("/api/jobs/nope")).0 == 404)
            let (_, metrics) = try await driver.get("/metrics")
            #expect(metrics.contains("spate_driver_batches_total{job=\"web\"}"))
            #expect(metrics.contains("spate_driver_executors 1"))
            #expect(metrics.contains("spate_driver_jobs{state=\"running\"} 1"))
            let (pageStatus, page) = try await driver.get("/")
            #expect(pageStatus == 200 && page.contains("/api/jobs"))
            await client.close()
            await driver.service.shutdown()
        }
    }

    @Test func executorsFetchStateFromTheCheckpoint() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: Self.broker())
            let client = try await driver.client()
            _ = try await client.submit(name: "st", sql: Self.sql, fileName: "st.sql")
            let executor = try await FakeExecutor.start(driver: driver.rpcAddress, slots: 2, shufflePort: 7500)
            #expect(await eventually { (driver.service.jobSnapshots.first?.lastCommittedBatchId ?? -1) >= 0 })
            let answer = try await executor.connection.call(
                ClusterMessageKind.fetchState.rawValue, StateRequest(jobId: "st", partition: 1, version: 0).encoded())
            // The fake reduce task's delta for partition 1 of batch 0.
            #expect(
                try StateVersions.decode(answer)
                    == StateVersions(snapshot: nil, deltas: [VersionedBytes(version: 0, bytes: [1, 0])]))
            await #expect(throws: RPCError.self) {
                _ = try await executor.connection.call(
                    ClusterMessageKind.fetchState.rawValue,
                    StateRequest(jobId: "st", partition: 1, version: 99).encoded())
            }
            await client.close()
            await driver.service.shutdown()
        }
    }
}

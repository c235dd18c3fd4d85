import Foundation
import Testing

@testable import Driver

/// The status page `GET /` as served: self-contained, with the hooks scripts and the browser test
/// rely on, and every API path its script polls answered by the same driver.
@Suite struct DriverPageTests {
    /// Every string literal in the page's script that names an API path, e.g. "/api/jobs/".
    static func apiPaths(in page: String) -> Set<String> {
        var paths: Set<String> = []
        var rest = page[...]
        while let start = rest.range(of: "\"/api/") {
            let tail = rest[start.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            paths.insert("/api/" + tail[..<end])
            rest = tail[end...]
        }
        return paths
    }

    @Test func thePageUsesNoOutsideAssets() {
        let page = DriverPage.html
        #expect(page.hasPrefix("<!doctype html>") && page.hasSuffix("</html>\n"))
        #expect(!page.contains("src=") && !page.contains("<link") && !page.contains("@import"))
        // The SVG namespace is a name, not a request; nothing else may point off the driver.
        let outside = page.components(separatedBy: "http").dropFirst().filter {
            !$0.hasPrefix("://www.w3.org/2000/svg")
        }
        #expect(outside.isEmpty, "outside references: \(outside.map { $0.prefix(40) })")
    }

    @Test func thePageCarriesTheHooksTestsRelyOn() {
        let page = DriverPage.html
        for hook in [
            "id=\"jobs\"", "id=\"executors\"", "id=\"batches\"", "id=\"chart-rates\"", "id=\"chart-duration\"",
            "id=\"status\" data-status=\"loading\"", "\"data-job\"", "\"data-state\"", "\"data-executor\"",
            "\"data-batch\"", "\"data-series\"", "\"point \"",
        ] {
            #expect(page.contains(hook), "\(hook)")
        }
        #expect(Self.apiPaths(in: page) == ["/api/jobs", "/api/jobs/", "/api/executors"])
    }

    @Test func theDriverServesThePageAndEveryPathItsScriptPolls() async throws {
        try await withTemporaryDirectory { root in
            let driver = try await DriverFixture(root: root, broker: DriverServiceTests.broker())
            let client = try await driver.client()
            _ = try await client.submit(name: "page", sql: DriverServiceTests.sql, fileName: "page.sql")
            _ = try await FakeExecutor.start(driver: driver.rpcAddress, slots: 2, shufflePort: 7600)
            #expect(await eventually { (driver.service.jobSnapshots.first?.lastCommittedBatchId ?? -1) >= 0 })

            let (status, page) = try await driver.get("/")
            #expect(status == 200 && page == DriverPage.html)
            let (jobsStatus, jobs) = try await driver.get("/api/jobs")
            let (executorsStatus, executors) = try await driver.get("/api/executors")
            let (jobStatus, job) = try await driver.get("/api/jobs/page")
            #expect(jobsStatus == 200 && executorsStatus == 200 && jobStatus == 200)
            // The fields the script reads, present with the types it expects.
            let summary = try #require((try json(Array(jobs.utf8)) as? [[String: Any]])?.first)
            #expect(summary["id"] as? String == "page" && summary["state"] as? String == "running")
            #expect(summary["lastProgress"] is [String: Any] && summary["inputRows"] is Int)
            let executor = try #require((try json(Array(executors.utf8)) as? [[String: Any]])?.first)
            #expect(executor["slots"] as? Int == 2 && executor["heartbeatAgeMs"] is Int)
            #expect(executor["id"] is String && executor["shuffleAddress"] is String)
            let detail = try #require(try json(Array(job.utf8)) as? [String: Any])
            let progress = try #require((detail["recentProgress"] as? [[String: Any]])?.last)
            #expect(progress["timestamp"] is String && progress["inputRowsPerSecond"] is NSNumber)
            #expect((progress["durationMs"] as? [String: Any])?["triggerExecution"] is Int)
            await client.close()
            await driver.service.shutdown()
        }
    }
}

import Foundation
import Synchronization
import Testing

@testable import Wire

/// The samples of `family` by name and labels.
private func value(
    _ families: [MetricsTextParser.Family], _ sample: String, _ labels: [String: String] = [:]
) -> Double? {
    families.flatMap(\.samples).first { $0.name == sample && $0.labels == labels }?.value
}

@Suite struct MetricsRegistryTests {
    @Test func rendersCountersGaugesAndHistogramsInStrictFormat() throws {
        let registry = MetricsRegistry()
        let nasty = "we\"ird\\topic\nname ☃ 🌊"
        registry.counter("spate_bytes_in_total", help: "Bytes received.", labels: ["topic": "clicks"])
            .increment(by: 1500)
        registry.counter("spate_bytes_in_total", help: "Bytes received.", labels: ["topic": nasty]).increment(by: 7)
        registry.counter("spate_bytes_in_total", help: "Bytes received.", labels: ["topic": "clicks"]).increment()
        let jobs = registry.gauge("spate_jobs", help: "Jobs running.\nSecond line with a \\ backslash.")
        jobs.set(3)
        jobs.add(-1.5)
        registry.gauge("spate_ratio", help: "A fraction.").set(0.1)
        registry.gauge("spate_big", help: "Huge.").set(1e300)
        registry.gauge("spate_inf", help: "Infinite.").set(-Double.infinity)
        let batch = registry.histogram(
            "spate_batch_seconds", help: "Batch time.", buckets: [0.01, 0.1, 1], labels: ["job": "pv"])
        let observations = [0.005, 0.01, 0.05, 0.5, 0.5, 2, 100]
        for observation in observations { batch.observe(observation) }
        let text = registry.render()
        let families = try MetricsTextParser.parse(text)
        #expect(
            families.map(\.name) == [
                "spate_batch_seconds", "spate_big", "spate_bytes_in_total", "spate_inf", "spate_jobs", "spate_ratio",
            ])
        #expect(families.map(\.type) == ["histogram", "gauge", "counter", "gauge", "gauge", "gauge"])
        #expect(families[4].help == "Jobs running.\nSecond line with a \\ backslash.")
        #expect(value(families, "spate_bytes_in_total", ["topic": "clicks"]) == 1501)
        #expect(value(families, "spate_bytes_in_total", ["topic": nasty]) == 7)
        #expect(value(families, "spate_jobs") == 1.5)
        #expect(value(families, "spate_ratio") == 0.1)
        #expect(value(families, "spate_big") == 1e300)
        #expect(value(families, "spate_inf") == -.infinity)
        for (bound, le) in [(0.01, "0.01"), (0.1, "0.1"), (1, "1")] {
            let expected = Double(observations.filter { $0 <= bound }.count)
            #expect(value(families, "spate_batch_seconds_bucket", ["job": "pv", "le": le]) == expected)
        }
        #expect(value(families, "spate_batch_seconds_bucket", ["job": "pv", "le": "+Inf"]) == 7)
        #expect(value(families, "spate_batch_seconds_count", ["job": "pv"]) == 7)
        #expect(value(families, "spate_batch_seconds_sum", ["job": "pv"]) == observations.reduce(0, +))
    }

    @Test func renderIsStableAndSortsSeries() throws {
        let registry = MetricsRegistry()
        for topic in ["b", "a", "c"] {
            registry.counter("spate_records_total", help: "Records.", labels: ["topic": topic, "dir": "in"])
                .increment()
        }
        let first = registry.render()
        #expect(first == registry.render())
        let topics = try MetricsTextParser.parse(first)[0].samples.map { $0.labels["topic"] ?? "" }
        #expect(topics == ["a", "b", "c"])
    }

    @Test func computedGaugesAreReadAtRenderTime() throws {
        let registry = MetricsRegistry()
        let connections = SharedCount(2)
        registry.gauge("spate_connections", help: "Open connections.") { Double(connections.value) }
        // A closure may use the registry itself: render calls it outside the lock.
        registry.gauge("spate_families", help: "Families.") {
            Double(registry.counter("spate_renders_total", help: "Renders.").value)
        }
        #expect(value(try MetricsTextParser.parse(registry.render()), "spate_connections") == 2)
        connections.value = 5
        #expect(value(try MetricsTextParser.parse(registry.render()), "spate_connections") == 5)
        registry.gauge("spate_connections", help: "Open connections.") { 9 }
        #expect(value(try MetricsTextParser.parse(registry.render()), "spate_connections") == 9)
    }

    @Test func updatesFromManyThreadsAreAllCounted() async throws {
        let registry = MetricsRegistry()
        let threads = 4
        let perThread = 20_000
        let tasks = (0..<threads).map { index in
            ThreadTask("metrics-\(index)") {
                let counter = registry.counter("spate_hits_total", help: "Hits.")
                let histogram = registry.histogram("spate_sizes", help: "Sizes.", buckets: [10, 100])
                let gauge = registry.gauge("spate_level", help: "Level.")
                for step in 0..<perThread {
                    counter.increment()
                    histogram.observe(Double(step % 200))
                    gauge.add(1)
                    if step % 5_000 == 0 { _ = try MetricsTextParser.parse(registry.render()) }
                }
            }
        }
        for task in tasks { try await task.value }
        let families = try MetricsTextParser.parse(registry.render())
        let total = Double(threads * perThread)
        #expect(value(families, "spate_hits_total") == total)
        #expect(value(families, "spate_level") == total)
        #expect(value(families, "spate_sizes_count") == total)
        // step % 200 <= 10 for 11 of every 200 steps.
        #expect(value(families, "spate_sizes_bucket", ["le": "10"]) == total * 11 / 200)
    }

    @Test func familiesStopGrowingAtTheSeriesLimit() throws {
        let registry = MetricsRegistry(seriesPerFamilyMax: 3)
        for topic in 0..<10 {
            registry.counter("spate_topic_total", help: "Per topic.", labels: ["topic": "t\(topic)"]).increment()
        }
        let families = try MetricsTextParser.parse(registry.render())
        #expect(families[0].samples.map { $0.labels["topic"] ?? "" } == ["t0", "t1", "t2"])
    }

    @Test func metricsAreServedOverHTTP() async throws {
        let registry = MetricsRegistry()
        registry.counter("spate_requests_total", help: "Requests.", labels: ["api": "Produce"]).increment(by: 12)
        var router = HTTPRouter()
        router.handleMetrics(registry)
        let server = try startHTTPTestServer(router)
        registry.gauge("spate_http_connections", help: "Open HTTP connections.") { Double(server.connectionCount) }
        let address = server.address
        let event = try await onThread("metrics-http") { () -> HTTPTestEvent in
            let client = try HTTPTestClient(address)
            try client.request("/metrics")
            return client.next()
        }
        await server.stop()
        let response = try #require(event.response, "GET /metrics got \(event)")
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store")
        let families = try MetricsTextParser.parse(response.text)
        #expect(value(families, "spate_requests_total", ["api": "Produce"]) == 12)
        #expect(value(families, "spate_http_connections") == 1)
    }

    @Test func valuesAreFormattedAsPrometheusReadsThem() {
        let exact: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (0.25, "0.25"), (123_456_789_012, "123456789012"),
            (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"),
        ]
        for (value, text) in exact {
            #expect(PrometheusText.formatValue(value) == text)
        }
        // Everything else only has to read back as the same number through Go's float syntax.
        var rng = BytesTestRandom(seed: BytesTestRandom.seed(0x9A0E))
        let others = [1e15, 1e16, 1e-7, -1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for value in others + (0..<1_000).map({ _ in Double(bitPattern: rng.next()) }) where value.isFinite {
            let text = PrometheusText.formatValue(value)
            #expect(text.allSatisfy(Set("0123456789+-.e").contains) && Double(text) == value, "\(value) -> \(text)")
        }
    }
}

/// A number one side changes and a render-time closure reads.
private final class SharedCount: Sendable {
    private let atomic: Atomic<Int>
    init(_ initial: Int) { atomic = Atomic(initial) }
    var value: Int {
        get { atomic.load(ordering: .relaxed) }
        set { atomic.store(newValue, ordering: .relaxed) }
    }
}

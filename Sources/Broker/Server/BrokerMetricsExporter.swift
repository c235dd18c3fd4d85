import Synchronization
import Wire

/// The broker's counters in Prometheus text format, for `GET /metrics` on `spate broker --http-port`:
/// bytes and records in and out per topic, requests per API, rejected requests, connections and
/// consumer groups. Every value comes from one `BrokerMetricsSnapshot` taken per scrape.
public final class BrokerMetricsExporter: Sendable {
    /// The registry the series live in (add more series to it to serve them on the same page).
    public let registry: MetricsRegistry
    private let read: @Sendable () -> BrokerMetricsSnapshot
    /// The snapshot the registry's closures read (they hold the cell, not the exporter, so no cycle
    /// runs through the registry). Scrapes are serialised so that a slow scrape cannot publish an
    /// older snapshot after a newer one (counters never appear to go back).
    private let current = SnapshotCell()
    private let topicsExported = Mutex<Set<String>>([])
    private let scrape = Mutex(())

    /// Exports `broker`'s counters.
    public convenience init(broker: KafkaBroker, registry: MetricsRegistry = MetricsRegistry()) {
        self.init(registry: registry) { broker.metrics }
    }

    /// Exports what `read` returns at every scrape.
    public init(registry: MetricsRegistry = MetricsRegistry(), read: @escaping @Sendable () -> BrokerMetricsSnapshot) {
        self.registry = registry
        self.read = read
        registerBrokerWide()
    }

    /// Takes a snapshot and renders every series from it.
    public func render() -> String {
        scrape.withLock { _ in
            let snapshot = read()
            current.snapshot.withLock { $0 = snapshot }
            for topic in snapshot.topics.keys { registerTopic(topic) }
            return registry.render()
        }
    }

    /// A router serving `render()` at `/metrics`.
    public func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.handle("/metrics") { [self] _ in
            HTTPResponse(contentType: MetricsRegistry.contentType, body: Array(render().utf8))
        }
        return router
    }

    private func registerBrokerWide() {
        let cell = current
        for api in ApiKey.allCases {
            registry.counter(
                "spate_broker_requests_total", help: "Requests decoded and served, by API.",
                labels: ["api": api.description]
            ) { [cell] in cell.value { $0.requestsByApi[api] ?? 0 } }
        }
        registry.counter(
            "spate_broker_rejected_requests_total",
            help: "Frames refused: unknown API key or version, malformed, truncated or oversized."
        ) { [cell] in cell.value(\.rejectedRequests) }
        registry.counter(
            "spate_broker_local_reads_total",
            help: "SpateLocalRead requests served: readers on this host told where to pread the batches."
        ) { [cell] in cell.value(\.localReadRequests) }
        registry.gauge("spate_broker_connections", help: "Client connections open now.") { [cell] in
            cell.value { Int64($0.openConnections) }
        }
        registry.counter("spate_broker_connections_accepted_total", help: "Client connections accepted.") {
            [cell] in cell.value(\.acceptedConnections)
        }
        registry.gauge("spate_broker_groups", help: "Consumer groups with live members or committed offsets.") {
            [cell] in cell.value { Int64($0.groupCount) }
        }
        registry.gauge("spate_broker_topics", help: "Topics the broker holds.") { [cell] in
            cell.value { Int64($0.topics.count) }
        }
    }

    /// Adds the four traffic series of `topic` the first time a scrape sees it.
    private func registerTopic(_ topic: String) {
        guard topicsExported.withLock({ $0.insert(topic).inserted }) else { return }
        let cell = current
        let series: [(String, String, @Sendable (BrokerMetricsSnapshot.TopicTraffic) -> Int64)] = [
            ("spate_broker_bytes_in_total", "Record batch bytes appended by Produce.", { $0.bytesIn }),
            ("spate_broker_records_in_total", "Records appended by Produce.", { $0.recordsIn }),
            ("spate_broker_bytes_out_total", "Record batch bytes returned by Fetch.", { $0.bytesOut }),
            ("spate_broker_records_out_total", "Records in the batches returned by Fetch.", { $0.recordsOut }),
        ]
        for (name, help, pick) in series {
            registry.counter(name, help: help, labels: ["topic": topic]) { [cell] in
                cell.value { $0.topics[topic].map(pick) ?? 0 }
            }
        }
    }
}

/// One scrape's snapshot, shared by the exporter and its series' closures.
private final class SnapshotCell: Sendable {
    let snapshot = Mutex<BrokerMetricsSnapshot?>(nil)

    /// A figure of the current snapshot; 0 before the first scrape.
    func value(_ pick: (BrokerMetricsSnapshot) -> Int64) -> Double {
        snapshot.withLock { snapshot in snapshot.map { Double(pick($0)) } ?? 0 }
    }
}

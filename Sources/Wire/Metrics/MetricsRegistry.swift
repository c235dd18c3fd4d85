import Synchronization

/// Every metric of one process, rendered for `GET /metrics`. Thread-safe. Asking twice for the
/// same name and labels returns the same handle, so owners may look handles up once and keep them.
/// Names, label names and help are code, so misuse (a bad name, one name with two types) traps;
/// label values may come from input (topic names) and are escaped when rendered.
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of `render()`'s output.
    public static let contentType = PrometheusText.contentType
    /// Series one family holds at most; past it new label values get a handle that is not exported,
    /// so input-derived labels (topic names) cannot grow the registry without bound.
    public let seriesPerFamilyMax: Int
    private let families = Mutex<[String: MetricFamily]>([:])

    /// An empty registry.
    public init(seriesPerFamilyMax: Int = 1_000) {
        precondition(seriesPerFamilyMax > 0, "a family holds at least one series")
        self.seriesPerFamilyMax = seriesPerFamilyMax
    }

    /// The counter `name` with `labels`, created on first use.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        let source = register(name, help, .counter, labels) { .counter(Counter()) }
        if case .counter(let counter) = source { return counter }
        precondition(source == nil, "\(name)\(labels) is already registered as a computed counter")
        return Counter()
    }

    /// The gauge `name` with `labels`, created on first use.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        let source = register(name, help, .gauge, labels) { .gauge(Gauge()) }
        if case .gauge(let gauge) = source { return gauge }
        precondition(source == nil, "\(name)\(labels) is already registered as a computed gauge")
        return Gauge()
    }

    /// The histogram `name` with `labels` and bucket `upperBounds` (+Inf implied), created on first use.
    public func histogram(_ name: String, help: String, buckets upperBounds: [Double], labels: [String: String] = [:])
        -> Histogram
    {
        precondition(labels["le"] == nil, "'le' is the bucket label of a histogram")
        Histogram.checkBounds(upperBounds)
        let source = register(name, help, .histogram, labels, upperBounds: upperBounds) {
            .histogram(Histogram(upperBounds: upperBounds))
        }
        if case .histogram(let histogram) = source { return histogram }
        return Histogram(upperBounds: upperBounds)
    }

    /// A gauge read from `compute` at every render (e.g. open connections), so its owner pushes
    /// nothing. `compute` runs outside the registry's lock and must be quick. Registering the same
    /// series again replaces the closure.
    public func gauge(
        _ name: String, help: String, labels: [String: String] = [:], compute: @escaping @Sendable () -> Double
    ) {
        registerComputed(name, help, .gauge, labels, compute)
    }

    /// A counter read from `compute` at every render, for totals an owner already keeps.
    public func counter(
        _ name: String, help: String, labels: [String: String] = [:], compute: @escaping @Sendable () -> Double
    ) {
        registerComputed(name, help, .counter, labels, compute)
    }

    /// Every family in Prometheus text format 0.0.4, sorted by name.
    public func render() -> String {
        // Copy under the lock, read values and call closures outside it: a closure may itself use
        // the registry, and a slow one must not stall every metric update.
        let snapshot = families.withLock { Array($0.values) }
        return PrometheusText.render(snapshot.sorted { $0.name < $1.name })
    }

    private func registerComputed(
        _ name: String, _ help: String, _ kind: MetricKind, _ labels: [String: String],
        _ compute: @escaping @Sendable () -> Double
    ) {
        let source = register(name, help, kind, labels, replacingComputed: compute) { .computed(compute) }
        if let source, case .computed = source { return }
        precondition(source == nil, "\(name)\(labels) is already registered with a handle")
    }

    /// The series' source, made on first use; nil when the family is full.
    private func register(
        _ name: String, _ help: String, _ kind: MetricKind, _ labels: [String: String], upperBounds: [Double] = [],
        replacingComputed: (@Sendable () -> Double)? = nil, make: () -> MetricSource
    ) -> MetricSource? {
        precondition(MetricFamily.isValidName(name), "'\(name)' is not a valid metric name")
        precondition(labels.keys.allSatisfy(MetricFamily.isValidLabelName), "\(name) has an invalid label name")
        let labelNames = labels.keys.sorted()
        let values = labelNames.map { labels[$0] ?? "" }
        let fresh = MetricFamily(name: name, help: help, kind: kind, labelNames: labelNames, upperBounds: upperBounds)
        return families.withLock { families -> MetricSource? in
            if let family = families[name] { family.checkSameShape(as: fresh) }
            return families[name, default: fresh].source(
                for: values, seriesMax: seriesPerFamilyMax, replacingComputed: replacingComputed, make: make)
        }
    }
}

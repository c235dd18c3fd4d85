/// A value that goes up and down (jobs running, queue depth); Prometheus type `gauge`.
public final class Gauge: Sendable {
    private let current = AtomicDouble()

    init() {}

    /// The current value.
    public var value: Double { current.value }

    /// Sets the value.
    public func set(_ value: Double) { current.store(value) }

    /// Sets the value from an integer.
    public func set(_ value: Int) { current.store(Double(value)) }

    /// Adds `delta` (negative to go down).
    public func add(_ delta: Double) { current.add(delta) }
}

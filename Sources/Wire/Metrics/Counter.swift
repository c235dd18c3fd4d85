/// A value that only goes up (requests served, bytes in); Prometheus type `counter`.
public final class Counter: Sendable {
    private let total = AtomicDouble()

    init() {}

    /// The current total.
    public var value: Double { total.value }

    /// Adds `amount`, which must not be negative.
    public func increment(by amount: Int = 1) {
        precondition(amount >= 0, "a counter only goes up")
        total.add(Double(amount))
    }

    /// Adds `amount` (e.g. seconds), which must be finite and not negative.
    public func increment(by amount: Double) {
        precondition(amount >= 0 && amount.isFinite, "a counter only goes up by finite amounts")
        total.add(amount)
    }
}

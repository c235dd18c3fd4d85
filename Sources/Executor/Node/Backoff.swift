/// Capped exponential backoff between connection attempts.
struct Backoff: Sendable {
    let initialMs: Int
    let maxMs: Int
    private(set) var nextMs: Int

    init(initialMs: Int, maxMs: Int) {
        precondition(initialMs > 0 && maxMs >= initialMs, "backoff bounds must be positive and ordered")
        self.initialMs = initialMs
        self.maxMs = maxMs
        nextMs = initialMs
    }

    /// The pause to take now; the one after is twice as long, up to the cap.
    mutating func next() -> Int {
        defer { nextMs = min(maxMs, nextMs * 2) }
        return nextMs
    }

    /// Starts again from the initial pause (after a success).
    mutating func reset() { nextMs = initialMs }
}

import Broker

/// What `spate gen clicks` produces, and for how long.
struct ClickStreamOptions: Sendable {
    /// Above ten million events a second no broker here keeps up; a larger number is a typo.
    static let rateMax = 10_000_000

    var topic: String
    /// Events per second; 0 sends as fast as the producer takes them.
    var ratePerSecond: Int
    /// Stop after this many events; nil for no limit.
    var count: Int?
    /// Stop after this long; nil for no limit.
    var durationSeconds: Double?
    var seed: UInt64
    var malformedShare: Double
    /// Partitions of the topic when it has to be created.
    var partitions: Int32
    /// Where to write the ground truth of every event sent; nil for nowhere.
    var truthPath: String?
    /// Whether the user asked for `partitions` (so a topic that exists with another count deserves a note).
    var explicitPartitions = false
    /// How often a progress line is printed.
    var progressIntervalMs: UInt64 = 5_000
}

/// What a run of the click stream did.
struct ClickStreamSummary: Sendable, CustomStringConvertible {
    var topic: String
    var partitions: Int
    var seed: UInt64
    /// Events handed to the producer.
    var sent: Int
    /// Bytes of their values.
    var valueBytes: Int
    /// Of those, lines broken on purpose.
    var malformed: Int
    /// Records the broker did not take (after the producer's retries).
    var failed: Int
    var firstFailure: String?
    /// From the first event to the end of the final flush.
    var elapsedSeconds: Double
    /// The run ended on SIGINT or SIGTERM.
    var interrupted: Bool

    var description: String {
        let seconds = max(elapsedSeconds, 1e-9)
        let rate = Double(sent) / seconds
        let megabytes = Double(valueBytes) / 1e6 / seconds
        let share = sent == 0 ? 0 : 100 * Double(malformed) / Double(sent)
        return "sent \(sent) clicks to \(topic) (\(partitions) partitions) in \(fixed(elapsedSeconds, 1)) s: "
            + "\(Int(rate.rounded())) events/s, \(fixed(megabytes, 1)) MB/s; \(malformed) malformed "
            + "(\(fixed(share, 2))%), \(failed) failed; seed \(seed)\(interrupted ? " (interrupted)" : "")"
    }
}

/// `value` with `digits` decimals, without Foundation's formatter.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return String(value) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    let text = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - text.count) + text
}

/// Why a click stream stopped early.
enum ClickStreamError: Error, CustomStringConvertible {
    /// The broker or the producer failed.
    case kafka(KafkaClientError)
    /// The truth file could not be written.
    case truthFile(path: String, reason: String)

    var description: String {
        switch self {
        case .kafka(let error): error.description
        case .truthFile(let path, let reason): "cannot write the truth file \(path): \(reason)"
        }
    }
}

/// The Prometheus metric types Spate exposes.
enum MetricKind: String, Sendable {
    case counter
    case gauge
    case histogram
}

/// Where one series' value comes from: a handle owners update, or a closure read at render time.
enum MetricSource: Sendable {
    case counter(Counter)
    case gauge(Gauge)
    case histogram(Histogram)
    case computed(@Sendable () -> Double)
}

/// All series of one metric name: one help text, one type, one set of label names.
struct MetricFamily: Sendable {
    let name: String
    let help: String
    let kind: MetricKind
    /// Label names, sorted; every series of the family has exactly these.
    let labelNames: [String]
    /// Histogram bucket bounds (empty for other kinds); every series of a histogram shares them.
    let upperBounds: [Double]
    /// Series by their label values, in `labelNames` order.
    var series: [[String]: MetricSource] = [:]

    /// Traps unless `other` describes the same family: one name has one meaning in a process.
    func checkSameShape(as other: MetricFamily) {
        precondition(kind == other.kind, "\(name) is already a \(kind)")
        precondition(help == other.help, "\(name) is already registered with other help text")
        precondition(labelNames == other.labelNames, "\(name) is already registered with labels \(labelNames)")
        precondition(upperBounds == other.upperBounds, "\(name) is already registered with other buckets")
    }

    /// The series with label `values`, made on first use; nil when the family already holds
    /// `seriesMax` series. A computed series gets `replacingComputed` as its new closure.
    mutating func source(
        for values: [String], seriesMax: Int, replacingComputed: (@Sendable () -> Double)?, make: () -> MetricSource
    ) -> MetricSource? {
        if let existing = series[values] {
            if let replacingComputed, case .computed = existing { series[values] = .computed(replacingComputed) }
            return existing
        }
        guard series.count < seriesMax else { return nil }
        let made = make()
        series[values] = made
        return made
    }

    /// Names Prometheus accepts for a metric: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ":")
        else { return false }
        return name.utf8.allSatisfy {
            isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":")
        }
    }

    /// Names Prometheus accepts for a label: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == UInt8(ascii: "_"), !name.hasPrefix("__") else {
            return false
        }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}

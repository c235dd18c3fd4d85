/// The Prometheus text exposition format, version 0.0.4.
public enum PrometheusText {
    /// The `Content-Type` a scraper expects for this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `families` (already sorted) as exposition text: HELP and TYPE once per family, then its
    /// series sorted by label values.
    static func render(_ families: [MetricFamily]) -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            let series = family.series.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            for (values, source) in series {
                let labels = Array(zip(family.labelNames, values))
                switch source {
                case .counter(let counter): text += sample(family.name, labels, counter.value)
                case .gauge(let gauge): text += sample(family.name, labels, gauge.value)
                case .computed(let compute): text += sample(family.name, labels, compute())
                case .histogram(let histogram): text += histogramSamples(family.name, labels, histogram)
                }
            }
        }
        return text
    }

    private static func histogramSamples(_ name: String, _ labels: [(String, String)], _ histogram: Histogram)
        -> String
    {
        let snapshot = histogram.snapshot()
        var text = ""
        var cumulative: UInt64 = 0
        let bounds = histogram.upperBounds.map(formatValue) + ["+Inf"]
        for (bound, count) in zip(bounds, snapshot.bucketCounts) {
            cumulative += count
            text += sample(name + "_bucket", labels + [("le", bound)], Double(cumulative))
        }
        text += sample(name + "_sum", labels, snapshot.sum)
        text += sample(name + "_count", labels, Double(snapshot.count))
        return text
    }

    private static func sample(_ name: String, _ labels: [(String, String)], _ value: Double) -> String {
        guard !labels.isEmpty else { return "\(name) \(formatValue(value))\n" }
        let rendered = labels.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }.joined(separator: ",")
        return "\(name){\(rendered)} \(formatValue(value))\n"
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabelValue(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A sample value as Go's ParseFloat reads it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(.towardZero) && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

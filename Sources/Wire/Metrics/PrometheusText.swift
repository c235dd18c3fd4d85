/// The Prometheus text exposition format, version 0.0.4.
public enum PrometheusText {
    /// The `Content-Type` a scraper expects for this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `families` (already sorted) as exposition text: HELP and TYPE once per family, then its
    /// series sorted by label values.
    static func render(_ families: [MetricFamily]) -> String {
        var text = ""
        text.reserveCapacity(families.reduce(0) { $0 + 128 + $1.series.count * ($1.upperBounds.count + 3) * 64 })
        for family in families {
            text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            let series = family.series.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            for (values, source) in series {
                // Rendered once per series: a histogram repeats it on every bucket line.
                let labels = zip(family.labelNames, values).map { "\($0)=\"\(escapeLabelValue($1))\"" }
                    .joined(separator: ",")
                switch source {
                case .counter(let counter): appendSample(&text, family.name, labels, counter.value)
                case .gauge(let gauge): appendSample(&text, family.name, labels, gauge.value)
                case .computed(let compute): appendSample(&text, family.name, labels, compute())
                case .histogram(let histogram): appendHistogram(&text, family.name, labels, histogram)
                }
            }
        }
        return text
    }

    private static func appendHistogram(_ text: inout String, _ name: String, _ labels: String, _ histogram: Histogram)
    {
        let snapshot = histogram.snapshot()
        let bucketName = name + "_bucket"
        let prefix = labels.isEmpty ? "le=\"" : labels + ",le=\""
        var cumulative: UInt64 = 0
        for (index, count) in snapshot.bucketCounts.enumerated() {
            cumulative += count
            let bound = index < histogram.upperBounds.count ? formatValue(histogram.upperBounds[index]) : "+Inf"
            appendSample(&text, bucketName, prefix + bound + "\"", Double(cumulative))
        }
        appendSample(&text, name + "_sum", labels, snapshot.sum)
        appendSample(&text, name + "_count", labels, Double(snapshot.count))
    }

    /// One line: `name value` or `name{labels} value`, where `labels` is already rendered.
    private static func appendSample(_ text: inout String, _ name: String, _ labels: String, _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels
            text += "}"
        }
        text += " "
        text += formatValue(value)
        text += "\n"
    }

    /// HELP text escapes backslash and line feed.
    static func escapeHelp(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A }) { return text }
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
        if !text.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) { return text }
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

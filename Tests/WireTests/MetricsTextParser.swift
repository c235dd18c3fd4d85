/// A strict reader of Prometheus text format 0.0.4, written for the tests from the format's
/// description rather than from the renderer, so a renderer bug cannot hide behind its own reader.
struct MetricsTextParser {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var help: String
        var type: String
        var samples: [Sample] = []
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Families in the order they appear, checked for: HELP then TYPE once per family before its
    /// samples, valid names, label syntax and escapes, values, sorted families, no duplicate series,
    /// and for histograms cumulative buckets ending at +Inf equal to `_count`.
    static func parse(_ text: String) throws -> [Family] {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Failure("text does not end with a line feed") }
        var families: [Family] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("# HELP ") {
                let (name, help) = try splitNameAndRest(line.dropFirst(7))
                guard !families.contains(where: { $0.name == name }) else { throw Failure("second HELP for \(name)") }
                families.append(Family(name: name, help: try unescape(help, quoteAllowed: false), type: ""))
            } else if line.hasPrefix("# TYPE ") {
                let (name, type) = try splitNameAndRest(line.dropFirst(7))
                guard let last = families.last, last.name == name, last.type.isEmpty, last.samples.isEmpty else {
                    throw Failure("TYPE for \(name) not right after its HELP")
                }
                guard ["counter", "gauge", "histogram"].contains(type) else { throw Failure("unknown type \(type)") }
                families[families.count - 1].type = String(type)
            } else {
                guard let last = families.last, !last.type.isEmpty else { throw Failure("sample before TYPE: \(line)") }
                let sample = try parseSample(line)
                guard belongs(sample.name, to: last) else {
                    throw Failure("\(sample.name) is not part of \(last.name)")
                }
                let key = (sample.name, sample.labels)
                guard !last.samples.contains(where: { ($0.name, $0.labels) == key }) else {
                    throw Failure("duplicate series \(line)")
                }
                families[families.count - 1].samples.append(sample)
            }
        }
        let names = families.map(\.name)
        guard names == names.sorted() else { throw Failure("families are not sorted: \(names)") }
        for family in families where family.type == "histogram" { try checkHistogram(family) }
        return families
    }

    private static func belongs(_ sampleName: String, to family: Family) -> Bool {
        guard family.type == "histogram" else { return sampleName == family.name }
        return ["_bucket", "_sum", "_count"].contains { sampleName == family.name + $0 }
    }

    private static func splitNameAndRest(_ text: Substring) throws -> (String, Substring) {
        let name = text.prefix { $0 != " " }
        guard isMetricName(name), text.count > name.count else { throw Failure("bad name in '\(text)'") }
        return (String(name), text.dropFirst(name.count + 1))
    }

    static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" || first == ":" else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }

    static func isLabelName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `name{label="value",...} value` with no timestamp (the renderer writes none).
    private static func parseSample(_ line: Substring) throws -> Sample {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard isMetricName(name) else { throw Failure("bad sample name in '\(line)'") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = rest.prefix { $0 != "=" }
                guard isLabelName(labelName), labels[String(labelName)] == nil else {
                    throw Failure("bad or repeated label name in '\(line)'")
                }
                rest = rest.dropFirst(labelName.count)
                guard rest.hasPrefix("=\"") else { throw Failure("label without =\" in '\(line)'") }
                rest = rest.dropFirst(2)
                let (value, after) = try quoted(rest)
                labels[String(labelName)] = value
                rest = after
                if rest.first == "," {
                    rest = rest.dropFirst()
                } else if rest.first != "}" {
                    throw Failure("labels not separated by ',' in '\(line)'")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Failure("no space before the value in '\(line)'") }
        return Sample(name: String(name), labels: labels, value: try value(rest.dropFirst()))
    }

    /// The label value up to its closing quote, unescaped, and what follows the quote.
    private static func quoted(_ text: Substring) throws -> (String, Substring) {
        var index = text.startIndex
        var escaped = false
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                return (try unescape(text[..<index], quoteAllowed: true), text[text.index(after: index)...])
            } else if character == "\n" {
                throw Failure("raw line feed in a label value")
            }
            index = text.index(after: index)
        }
        throw Failure("unterminated label value")
    }

    private static func unescape(_ text: Substring, quoteAllowed: Bool) throws -> String {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch iterator.next() {
            case "\\": result += "\\"
            case "n": result += "\n"
            case "\"" where quoteAllowed: result += "\""
            case let other: throw Failure("bad escape \\\(other.map(String.init) ?? "end")")
            }
        }
        return result
    }

    private static func value(_ text: Substring) throws -> Double {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            let allowed = Set("0123456789+-.e")
            guard !text.isEmpty, text.allSatisfy(allowed.contains), let value = Double(text) else {
                throw Failure("bad value '\(text)'")
            }
            return value
        }
    }

    /// Per label set: buckets in increasing `le`, counts never falling, a last `+Inf` bucket equal
    /// to `_count`, and a `_sum`.
    private static func checkHistogram(_ family: Family) throws {
        var groups: [[String: String]: [Sample]] = [:]
        for sample in family.samples {
            var key = sample.labels
            key["le"] = nil
            groups[key, default: []].append(sample)
        }
        for (labels, samples) in groups {
            let buckets = samples.filter { $0.name == family.name + "_bucket" }
            let bounds = try buckets.map { bucket -> Double in
                guard let le = bucket.labels["le"] else { throw Failure("bucket without le in \(family.name)") }
                return try value(le[...])
            }
            guard !bounds.isEmpty, bounds.last == .infinity, zip(bounds, bounds.dropFirst()).allSatisfy({ $0 < $1 })
            else { throw Failure("\(family.name)\(labels) buckets are not increasing up to +Inf: \(bounds)") }
            let counts = buckets.map(\.value)
            guard zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw Failure("\(family.name)\(labels) bucket counts fall: \(counts)")
            }
            let count = samples.first { $0.name == family.name + "_count" }?.value
            guard count == counts.last, samples.contains(where: { $0.name == family.name + "_sum" }) else {
                throw Failure("\(family.name)\(labels): +Inf bucket \(counts.last ?? -1) != count \(count ?? -1)")
            }
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

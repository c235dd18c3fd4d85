/// "Did you mean" for misspelt names: the closest candidate by edit distance.
enum Suggestions {
    /// The candidate closest to `name` (case-insensitive), if it is close enough to be a likely typo.
    static func closest(to name: String, among candidates: [String]) -> String? {
        let wanted = Array(name.lowercased())
        let allowed = max(1, min(3, wanted.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(wanted, Array(candidate.lowercased()))
            if distance <= allowed, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// `; did you mean 'x'?` or the empty string.
    static func didYouMean(_ name: String, among candidates: [String]) -> String {
        closest(to: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// `; did you mean 'x'? label: a, b, c` (or without the question when nothing is close):
    /// the tail of an "unknown name" message.
    static func hint(_ name: String, among candidates: [String], label: String) -> String {
        let list = "\(label): \(candidates.joined(separator: ", "))"
        guard let close = closest(to: name, among: candidates) else { return "; " + list }
        return "; did you mean '\(close)'? " + list
    }

    /// Levenshtein distance; names are short, so the quadratic table is cheap.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = min(previous[j] + 1, row[j - 1] + 1, substitution)
            }
            swap(&previous, &row)
        }
        return previous[b.count]
    }
}

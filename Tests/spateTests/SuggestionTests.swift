import Testing

@testable import spate

@Suite struct SuggestionTests {
    @Test func knownDistances() {
        #expect(Suggestions.editDistance("", "") == 0)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("abc", "") == 3)
        #expect(Suggestions.editDistance("json", "json") == 0)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
        #expect(Suggestions.editDistance("jsn", "json") == 1)
        #expect(Suggestions.editDistance("prot", "port") == 1)
        #expect(Suggestions.editDistance("brokr", "broker") == 1)
        // Optimal string alignment edits no substring twice, unlike full Damerau-Levenshtein (2).
        #expect(Suggestions.editDistance("ca", "abc") == 3)
    }

    @Test func matchesAReferenceOnSeededRandomWords() {
        let seed = UInt64.random(in: 1...UInt64.max)
        var generator = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let lhs = randomWord(using: &generator)
            let rhs = randomWord(using: &generator)
            let expected = referenceDistance(Array(lhs), Array(rhs))
            #expect(Suggestions.editDistance(lhs, rhs) == expected, "seed \(seed): \(lhs) vs \(rhs)")
            #expect(Suggestions.editDistance(lhs, rhs) == Suggestions.editDistance(rhs, lhs), "seed \(seed)")
        }
    }

    @Test func closestCandidate() {
        let flags = ["port", "bind", "data-dir", "json", "seconds", "help"]
        #expect(Suggestions.closest(to: "prot", among: flags) == "port")
        #expect(Suggestions.closest(to: "jsn", among: flags) == "json")
        #expect(Suggestions.closest(to: "JSON", among: flags) == "json")
        #expect(Suggestions.closest(to: "datadir", among: flags) == "data-dir")
        #expect(Suggestions.closest(to: "secnods", among: flags) == "seconds")
        #expect(Suggestions.closest(to: "xyz", among: flags) == nil)
        #expect(Suggestions.closest(to: "", among: flags) == nil)
        #expect(Suggestions.closest(to: "brokr", among: ["bench"]) == nil)
    }

    @Test func uniquePrefixWhenNoTypoMatches() {
        #expect(Suggestions.closest(to: "sec", among: ["seconds", "json"]) == "seconds")
        #expect(Suggestions.closest(to: "part", among: ["partitions", "partition-key"]) == nil)
        #expect(Suggestions.closest(to: "s", among: ["seconds"]) == nil)
    }

    @Test func tiesGoToTheFirstDeclared() {
        #expect(Suggestions.closest(to: "bat", among: ["cat", "bag"]) == "cat")
        #expect(Suggestions.closest(to: "bat", among: ["bag", "cat"]) == "bag")
    }

    /// A short word over a four-letter alphabet, so repeats and transpositions are common.
    private func randomWord(using generator: inout SplitMix64) -> String {
        let alphabet = Array("abcd")
        let length = Int.random(in: 0...6, using: &generator)
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Textbook full-matrix optimal string alignment, written independently of the rolling-row version.
    private func referenceDistance(_ a: [Character], _ b: [Character]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}

/// A small seeded generator so a failing run can be replayed from the printed seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Testing

@testable import Query

@Suite struct ExecLikeTests {
    @Test func likeTable() throws {
        let cases: [(String, String, Bool)] = [
            ("abc", "abc", true), ("abc", "ab", false), ("abc", "a%", true), ("abc", "%c", true), ("abc", "_b_", true),
            ("abc", "a_", false), ("héllo", "h_llo", true), ("héllo", "h__llo", false), ("%x", "\\%x", true),
            ("ax", "\\%x", false), ("a_c", "a\\_c", true), ("abc", "a\\_c", false), ("axbxc", "a%b%c", true),
            ("abcb", "%b", true), ("ab", "%a%b%", true), ("ba", "%a%b%", false), ("", "%", true), ("", "_", false),
            ("", "", true), ("aaa", "%aa", true), ("aXbYb", "a%b", true), ("/api/v1/users", "/api/%/users", true),
            ("😀😀", "_😀", true), ("😀", "__", false), ("ABC", "abc", false), ("a\\b", "a\\\\b", true),
        ]
        let batch = makeBatch([(.string, cases.map { .string($0.0) } + [.null])])
        for (index, (text, pattern, expected)) in cases.enumerated() {
            let result = try evaluate(.like(E.col(0, .string), pattern: pattern, negated: false), batch)
            #expect(result.value(at: index) == .bool(expected), "'\(text)' LIKE '\(pattern)'")
            let negated = try evaluate(.like(E.col(0, .string), pattern: pattern, negated: true), batch)
            #expect(negated.value(at: index) == .bool(!expected))
            #expect(result.value(at: cases.count) == .null && negated.value(at: cases.count) == .null)
        }
    }

    /// A plain backtracking matcher over scalars, independent of the compiled one.
    func reference(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        let rest = Array(pattern.dropFirst())
        switch head {
        case "%": return (0...text.count).contains { reference(Array(text.dropFirst($0)), rest) }
        case "_": return !text.isEmpty && reference(Array(text.dropFirst()), rest)
        default: return text.first == head && reference(Array(text.dropFirst()), rest)
        }
    }

    @Test func randomPatternsAgreeWithABacktrackingReference() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("ExecLikeTests seed \(seed)")
        var random = SeededRandom(seed: seed)
        let alphabet: [Unicode.Scalar] = ["a", "b", "é", "😀"]
        let patternAlphabet: [Unicode.Scalar] = ["a", "b", "é", "😀", "%", "_", "%"]
        var texts: [String] = []
        for _ in 0..<200 {
            let length = Int.random(in: 0...7, using: &random)
            texts.append(
                String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &random)! })))
        }
        let batch = makeBatch([(.string, texts.map(Value.string))])
        for _ in 0..<150 {
            let length = Int.random(in: 0...6, using: &random)
            let pattern = (0..<length).map { _ in patternAlphabet.randomElement(using: &random)! }
            let patternText = String(String.UnicodeScalarView(pattern))
            let result = try evaluate(.like(E.col(0, .string), pattern: patternText, negated: false), batch)
            for (row, text) in texts.enumerated() {
                let expected = reference(Array(text.unicodeScalars), pattern)
                #expect(result.value(at: row) == .bool(expected), "seed \(seed): '\(text)' LIKE '\(patternText)'")
            }
        }
    }
}

/// A `regexp_extract` pattern compiled once per batch. Swift's `Regex` is close to Java's syntax;
/// it matches by Unicode scalar here, as Java does by code point, not by grapheme cluster.
struct CompiledRegex {
    let pattern: String
    let regex: Regex<AnyRegexOutput>

    init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw ExprError.invalidRegex(pattern: pattern, detail: "\(error)")
        }
    }

    /// Group `group` of the first match in `text`: nil when nothing matches or the group did not take part.
    func extract(_ text: String, group: Int64) throws -> Substring? {
        guard group >= 0 else { throw ExprError.regexGroupOutOfRange(pattern: pattern, group: group, groups: 0) }
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        guard group < match.output.count else {
            throw ExprError.regexGroupOutOfRange(pattern: pattern, group: group, groups: match.output.count - 1)
        }
        return match.output[Int(group)].substring
    }
}

extension ExprEvaluator {
    /// `regexp_extract(s, pattern[, group])`: the group (1 by default) of the first match, the empty
    /// string when nothing matches, as in Spark. A pattern that does not compile or a group it does
    /// not have is an error of the query, not NULL.
    mutating func regexpExtract(_ text: Column, _ patterns: Column, _ groups: Column?) throws -> Column {
        var nulls = Column.unionNulls(text, patterns)
        if let groups, groups.hasNulls { nulls = StringFunctions.union(nulls, groups) }
        var out = StringColumnStorage()
        out.reserve(rows: text.count, bytesPerRow: 8)
        for row in 0..<text.count {
            if nulls.isEmpty || !nulls[row] {
                let regex = try compiled(patterns.strings.string(at: row))
                let value = text.strings.string(at: row)
                if let found = try regex.extract(value, group: groups?.int64s[row] ?? 1) {
                    out.bytes.append(contentsOf: found.utf8)
                }
            }
            out.offsets.append(out.bytes.count)
        }
        return Column.strings(out, nulls: nulls)
    }

    private mutating func compiled(_ pattern: String) throws -> CompiledRegex {
        if let regex = regexes[pattern] { return regex }
        let regex = try CompiledRegex(pattern)
        regexes[pattern] = regex
        return regex
    }
}

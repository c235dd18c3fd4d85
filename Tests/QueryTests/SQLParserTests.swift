import Testing

@testable import Query

/// The parser's trees, checked through a compact rendering that ignores positions.
@Suite struct SQLParserTests {
    /// `(op left right)`-style text of a tree, written here independently of the compiler.
    static func tree(_ expr: Expr) -> String {
        func all(_ exprs: [Expr]) -> String { exprs.map(tree).joined(separator: " ") }
        switch expr.kind {
        case .column(let qualifier, let name): return qualifier.map { "\($0).\(name)" } ?? name
        case .literal(let literal):
            switch literal {
            case .integer(let value): return "\(value)"
            case .decimal(let value, _): return "\(value)d"
            case .string(let value): return "'\(value)'"
            case .bool(let value): return "\(value)"
            case .null: return "null"
            case .timestamp(let ms, _): return "ts:\(ms)"
            case .interval(let ms, _): return "iv:\(ms)"
            }
        case .negate(let operand): return "(neg \(tree(operand)))"
        case .not(let operand): return "(not \(tree(operand)))"
        case .binary(let op, let left, let right): return "(\(op) \(tree(left)) \(tree(right)))"
        case .isNull(let operand, let negated): return "(\(negated ? "notnull" : "isnull") \(tree(operand)))"
        case .inList(let operand, let list, let negated):
            return "(\(negated ? "notin" : "in") \(tree(operand)) [\(all(list))])"
        case .like(let operand, let pattern, let negated):
            return "(\(negated ? "notlike" : "like") \(tree(operand)) \(tree(pattern)))"
        case .between(let operand, let low, let high, let negated):
            return "(\(negated ? "notbetween" : "between") \(tree(operand)) \(tree(low)) \(tree(high)))"
        case .caseWhen(let operand, let whens, let otherwise):
            let pairs = whens.pairs.map { "(\(tree($0.0)) \(tree($0.1)))" }.joined(separator: " ")
            return "(case \(operand.map(tree) ?? "-") \(pairs) \(otherwise.map(tree) ?? "-"))"
        case .cast(let operand, let type): return "(cast \(tree(operand)) \(type))"
        case .call(let name, let arguments, let distinct, let star):
            return
                "(\(name)\(distinct ? " distinct" : "")\(star ? " *" : "")\(arguments.isEmpty ? "" : " ")\(all(arguments)))"
        }
    }

    private func expression(_ text: String) throws -> String {
        let script = try Parser.parse("INSERT INTO o SELECT \(text) FROM s")
        guard case .insert(let insert) = script.statements.first, case .expr(let expr, _) = insert.query.items.first
        else {
            Issue.record("no expression parsed")
            return ""
        }
        return Self.tree(expr)
    }

    @Test func precedenceFollowsSpark() throws {
        #expect(try expression("a OR b AND c") == "(or a (and b c))")
        #expect(try expression("NOT a = b AND c") == "(and (not (equal a b)) c)")
        #expect(try expression("a + b * c - d") == "(subtract (add a (multiply b c)) d)")
        #expect(try expression("a || b + c") == "(add (concat a b) c)")
        #expect(try expression("-a * b % c / d") == "(divide (modulo (multiply (neg a) b) c) d)")
        #expect(try expression("a + 1 < b * 2") == "(less (add a 1) (multiply b 2))")
        #expect(try expression("(a OR b) AND c") == "(and (or a b) c)")
        #expect(try expression("NOT NOT a") == "(not (not a))")
    }

    @Test func everyComparisonOperator() throws {
        #expect(try expression("a = 1") == "(equal a 1)")
        #expect(try expression("a == 1") == "(equal a 1)")
        #expect(try expression("a <> 1") == "(notEqual a 1)")
        #expect(try expression("a != 1") == "(notEqual a 1)")
        #expect(try expression("a < 1") == "(less a 1)")
        #expect(try expression("a <= 1") == "(lessOrEqual a 1)")
        #expect(try expression("a > 1") == "(greater a 1)")
        #expect(try expression("a >= 1") == "(greaterOrEqual a 1)")
    }

    @Test func predicates() throws {
        #expect(try expression("a IS NULL") == "(isnull a)")
        #expect(try expression("a IS NOT NULL") == "(notnull a)")
        #expect(try expression("a IN (1, 2, 3)") == "(in a [1 2 3])")
        #expect(try expression("a NOT IN ('x')") == "(notin a ['x'])")
        #expect(try expression("url LIKE '%.html'") == "(like url '%.html')")
        #expect(try expression("url NOT LIKE 'a_'") == "(notlike url 'a_')")
        #expect(try expression("a BETWEEN 1 AND 2 + 3") == "(between a 1 (add 2 3))")
        #expect(try expression("a NOT BETWEEN b AND c AND d") == "(and (notbetween a b c) d)")
        #expect(try expression("a + 1 IS NULL OR b") == "(or (isnull (add a 1)) b)")
    }

    @Test func literals() throws {
        #expect(try expression("42") == "42")
        #expect(try expression("-9223372036854775808") == "-9223372036854775808")
        #expect(try expression("1.5") == "1.5d")
        #expect(try expression("'it''s'") == "'it's'")
        #expect(try expression("TRUE") == "true")
        #expect(try expression("false") == "false")
        #expect(try expression("NULL") == "null")
        #expect(try expression("TIMESTAMP '2026-01-01 00:00:00'") == "ts:1767225600000")
        #expect(try expression("timestamp '1970-01-01T00:00:01.5Z'") == "ts:1500")
    }

    @Test func intervalForms() throws {
        #expect(try expression("INTERVAL '10' SECOND") == "iv:10000")
        #expect(try expression("INTERVAL 10 SECONDS") == "iv:10000")
        #expect(try expression("INTERVAL '10 seconds'") == "iv:10000")
        #expect(try expression("interval 1 minute 30 seconds") == "iv:90000")
        #expect(try expression("INTERVAL '1.5' HOURS") == "iv:5400000")
        #expect(try expression("INTERVAL 250 ms") == "iv:250")
    }

    @Test func caseCastAndCalls() throws {
        #expect(try expression("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END") == "(case - (a 1) (b 2) 3)")
        #expect(try expression("CASE s WHEN 200 THEN 'ok' END") == "(case s (200 'ok') -)")
        #expect(try expression("CAST(a AS VARCHAR(10))") == "(cast a STRING)")
        #expect(try expression("cast(a as int)") == "(cast a BIGINT)")
        #expect(try expression("count(*)") == "(count *)")
        #expect(try expression("COUNT(DISTINCT user_id)") == "(count distinct user_id)")
        #expect(try expression("Lower(url)") == "(lower url)")
        #expect(try expression("coalesce(a, b, 'x')") == "(coalesce a b 'x')")
        #expect(try expression("f()") == "(f)")
        #expect(try expression("window(ts, '10 seconds', '5 seconds')") == "(window ts '10 seconds' '5 seconds')")
    }

    @Test func qualifiedNamesAndWindowBounds() throws {
        #expect(try expression("clicks.url") == "clicks.url")
        #expect(try expression("window.start") == "window.start")
        #expect(try expression("window.end") == "window.end")
        #expect(try expression("`select`") == "select")
        #expect(try expression("`timestamp`") == "timestamp")
        #expect(try expression("timestamp") == "timestamp")
        #expect(try expression("interval + 1") == "(add interval 1)")
    }

    @Test func selectClauses() throws {
        let script = try Parser.parse(
            "INSERT INTO o SELECT *, c.*, a AS x, b y, count(*) FROM clicks AS c WHERE a > 1 GROUP BY a, 2 HAVING count(*) > 3"
        )
        guard case .insert(let insert) = script.statements.first else {
            Issue.record("no insert")
            return
        }
        let query = insert.query
        #expect(insert.sink.text == "o")
        #expect(query.from.text == "clicks" && query.alias?.text == "c")
        #expect(query.items.count == 5)
        if case .star(nil, _) = query.items[0] {} else { Issue.record("item 0 is not *") }
        if case .star(let qualifier?, _) = query.items[1] {
            #expect(qualifier.text == "c")
        } else {
            Issue.record("item 1 is not c.*")
        }
        if case .expr(let expr, let alias) = query.items[2] { #expect(Self.tree(expr) == "a" && alias?.text == "x") }
        if case .expr(_, let alias) = query.items[3] { #expect(alias?.text == "y") }
        if case .expr(_, let alias) = query.items[4] { #expect(alias == nil) }
        #expect(query.whereClause.map(Self.tree) == "(greater a 1)")
        #expect(query.groupBy.map(Self.tree) == ["a", "2"])
        #expect(query.having.map(Self.tree) == "(greater (count *) 3)")
    }

    @Test func createStreamAndSink() throws {
        let script = try Parser.parse(
            """
            ;; -- empty statements are fine
            create stream s (a INT, b integer, c SMALLINT, d BIGINT, e DOUBLE, f FLOAT, g STRING, h VARCHAR(5),
                             i BOOLEAN, j TIMESTAMP, `k k` string)
              WITH (topic = 'web', 'quoted' = 1, n = 2.5, flag = true, word = json);
            CREATE SINK out WITH (type = 'file');
            """)
        #expect(script.statements.count == 2)
        guard case .createStream(let stream) = script.statements[0], case .createSink(let sink) = script.statements[1]
        else {
            Issue.record("wrong statements")
            return
        }
        #expect(stream.name.text == "s")
        #expect(stream.columns.map(\.name.text) == ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k k"])
        #expect(
            stream.columns.map(\.type) == [
                .int64, .int64, .int64, .int64, .double, .double, .string, .string, .bool, .timestamp, .string,
            ])
        #expect(stream.options.map(\.key) == ["topic", "quoted", "n", "flag", "word"])
        #expect(stream.options.map(\.value) == ["web", "1", "2.5", "true", "json"])
        #expect(stream.options[1].keyPosition == SourcePosition(line: 4, column: 24))
        #expect(sink.name.text == "out" && sink.options.map(\.key) == ["type"])
    }

    @Test func scriptEndPointsAfterTheLastToken() throws {
        let script = try Parser.parse("CREATE SINK out WITH (type = 'console');\n\n")
        #expect(script.end == SourcePosition(line: 1, column: 41))
    }

    @Test func nestingIsBoundedWithAnError() {
        let depth = 10_000
        let deep =
            "INSERT INTO o SELECT " + String(repeating: "(", count: depth) + "1"
            + String(repeating: ")", count: depth) + " FROM s"
        #expect(throws: SQLError.self) { try Parser.parse(deep) }
        let fine =
            "INSERT INTO o SELECT " + String(repeating: "(", count: 50) + "1"
            + String(repeating: ")", count: 50) + " FROM s"
        #expect(throws: Never.self) { try Parser.parse(fine) }
    }

    @Test func longOperatorChainsAndUnaryRunsAreBounded() {
        let chain = "INSERT INTO o SELECT 1" + String(repeating: " + 1", count: 5_000) + " FROM s"
        #expect(throws: SQLError.self) { try Parser.parse(chain) }
        let nots = "INSERT INTO o SELECT " + String(repeating: "NOT ", count: 5_000) + "a FROM s"
        #expect(throws: SQLError.self) { try Parser.parse(nots) }
        let minuses = "INSERT INTO o SELECT " + String(repeating: "- ", count: 5_000) + "a FROM s"
        #expect(throws: SQLError.self) { try Parser.parse(minuses) }
    }
}

import Testing

@testable import Query

@Suite struct ExecExprStringTests {
    @Test func lowerAndUpperHandleASCIIAndUnicode() throws {
        let inputs: [Value] = [.string("MiXeD 123"), .null, .string("Straße"), .string("ÉCOLE"), .string("")]
        #expect(
            try evalStrings(inputs) { E.call(.upper, [$0], .string) } == [
                .string("MIXED 123"), .null, .string("STRASSE"), .string("ÉCOLE"), .string(""),
            ])
        #expect(
            try evalStrings(inputs) { E.call(.lower, [$0], .string) } == [
                .string("mixed 123"), .null, .string("straße"), .string("école"), .string(""),
            ])
        let ascii: [Value] = [.string("AbC"), .string("xY")]
        #expect(try evalStrings(ascii) { E.call(.lower, [$0], .string) } == [.string("abc"), .string("xy")])
    }

    @Test func lengthCountsUnicodeScalars() throws {
        let inputs: [Value] = [.string("héllo"), .string(""), .null, .string("😀x"), .string("e\u{301}")]
        #expect(
            try evalStrings(inputs) { E.call(.length, [$0], .int64) } == [
                .int64(5), .int64(0), .null, .int64(2), .int64(2),
            ])
    }

    @Test func substringFollowsSparkPositions() throws {
        // (position, length or nil, expected) over "Spark SQL", from Spark's documentation and its rules.
        let cases: [(Int64, Int64?, String)] = [
            (5, nil, "k SQL"), (-3, nil, "SQL"), (5, 1, "k"), (0, 3, "Spa"), (1, 3, "Spa"), (-20, 13, "Sp"),
            (-5, 3, "k S"), (10, nil, ""), (100, 2, ""), (2, 0, ""), (2, -1, ""), (1, Int64.max, "Spark SQL"),
            (-1, 1, "L"), (Int64.min, Int64.max, "Spark SQ"),
        ]
        for (position, length, expected) in cases {
            var arguments = [E.col(0, .string), E.int(position)]
            if let length { arguments.append(E.int(length)) }
            let batch = makeBatch([(.string, [.string("Spark SQL")])])
            #expect(
                try eval(E.call(.substring, arguments, .string), batch) == [.string(expected)],
                "\(position) \(String(describing: length))")
        }
        let unicode = makeBatch([(.string, [.string("héllo😀!"), .null])])
        #expect(
            try eval(E.call(.substring, [E.col(0, .string), E.int(2), E.int(5)], .string), unicode) == [
                .string("éllo😀"), .null,
            ])
        #expect(
            try eval(E.call(.substring, [E.col(0, .string), E.int(-2)], .string), unicode) == [.string("😀!"), .null])
        #expect(try eval(E.call(.substring, [E.col(0, .string), E.null(.int64)], .string), unicode) == [.null, .null])
    }

    @Test func splitPartCountsFromEitherEnd() throws {
        let cases: [(String, String, Int64, Value)] = [
            ("11.12.13", ".", 3, .string("13")), ("11.12.13", ".", -1, .string("13")),
            ("11.12.13", ".", 1, .string("11")),
            ("11.12.13", ".", -3, .string("11")), ("11.12.13", ".", 4, .string("")), ("11.12.13", ".", -4, .string("")),
            ("a,,b", ",", 2, .string("")), ("a--b--c", "--", 2, .string("b")), ("abc", "", 1, .string("abc")),
            ("abc", "", 2, .string("")), ("", ",", 1, .string("")), ("a,b", ",", 0, .null),
            ("é|ü", "|", 2, .string("ü")),
        ]
        for (text, delimiter, part, expected) in cases {
            let expr = E.call(.splitPart, [E.str(text), E.str(delimiter), E.int(part)], .string)
            #expect(try eval(expr, makeBatch([(.int64, [.int64(0)])])) == [expected], "\(text) \(delimiter) \(part)")
        }
        let nulls = makeBatch([(.string, [.null, .string("a b")])])
        #expect(
            try eval(E.call(.splitPart, [E.col(0, .string), E.str(" "), E.int(2)], .string), nulls) == [
                .null, .string("b"),
            ])
    }

    @Test func coalesceTakesTheFirstNonNull() throws {
        let batch = makeBatch([
            (.int64, [.null, .int64(1), .null, .null]),
            (.int64, [.int64(2), .int64(3), .null, .null]),
            (.double, [.double(9), .double(9), .double(4.5), .null]),
        ])
        let expr = E.call(.coalesce, [E.col(0, .int64), E.col(1, .int64), E.col(2, .double)], .double)
        #expect(try eval(expr, batch) == [.double(2), .double(1), .double(4.5), .null])
    }

    @Test func regexpExtractTakesAGroupOfTheFirstMatch() throws {
        let batch = makeBatch([
            (.string, [.string("100-200"), .string("no digits"), .null, .string("GET /a/b?x=1 HTTP")])
        ])
        let x = E.col(0, .string)
        #expect(
            try eval(E.call(.regexpExtract, [x, E.str("(\\d+)-(\\d+)"), E.int(2)], .string), batch) == [
                .string("200"), .string(""), .null, .string(""),
            ])
        #expect(
            try eval(E.call(.regexpExtract, [x, E.str("(\\d+)")], .string), batch) == [
                .string("100"), .string(""), .null, .string("1"),
            ])
        #expect(
            try eval(E.call(.regexpExtract, [x, E.str("GET (\\S+)"), E.int(0)], .string), batch) == [
                .string(""), .string(""), .null, .string("GET /a/b?x=1"),
            ])
        #expect(
            try eval(
                E.call(.regexpExtract, [x, E.str("(a)|(b)"), E.int(2)], .string), makeBatch([(.string, [.string("a")])])
            )
                == [.string("")])
        #expect(throws: ExprError.self) {
            try evaluate(E.call(.regexpExtract, [x, E.str("(unclosed")], .string), batch)
        }
        #expect(throws: ExprError.regexGroupOutOfRange(pattern: "(\\d+)", group: 3, groups: 1)) {
            try evaluate(E.call(.regexpExtract, [x, E.str("(\\d+)"), E.int(3)], .string), batch)
        }
    }
}

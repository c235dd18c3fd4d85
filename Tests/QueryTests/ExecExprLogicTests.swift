import Testing

@testable import Query

@Suite struct ExecExprLogicTests {
    /// Every pair of true, false and NULL.
    let truth = makeBatch([
        (
            .bool,
            [.bool(true), .bool(true), .bool(true), .bool(false), .bool(false), .bool(false), .null, .null, .null]
        ),
        (
            .bool,
            [.bool(true), .bool(false), .null, .bool(true), .bool(false), .null, .bool(true), .bool(false), .null]
        ),
    ])

    @Test func andOrNotFollowThreeValuedLogic() throws {
        let t = Value.bool(true)
        let f = Value.bool(false)
        let n = Value.null
        let a = E.col(0, .bool)
        let b = E.col(1, .bool)
        #expect(try eval(E.bin(.and, a, b, .bool), truth) == [t, f, n, f, f, f, n, f, n])
        #expect(try eval(E.bin(.or, a, b, .bool), truth) == [t, t, t, t, f, n, t, n, n])
        #expect(try eval(.unary(.not, a, type: .bool), truth) == [f, f, f, t, t, t, n, n, n])
    }

    @Test func isNullNeverYieldsNull() throws {
        let batch = makeBatch([(.string, [.string("a"), .null])])
        #expect(try eval(.isNull(E.col(0, .string), negated: false), batch) == [.bool(false), .bool(true)])
        #expect(try eval(.isNull(E.col(0, .string), negated: true), batch) == [.bool(true), .bool(false)])
    }

    @Test func comparisonsOfIntegersAndTimestamps() throws {
        let batch = makeBatch([
            (.int64, [.int64(1), .int64(2), .int64(3), .null, .int64(-5)]),
            (.int64, [.int64(2), .int64(2), .int64(2), .int64(2), .null]),
        ])
        let a = E.col(0, .int64)
        let b = E.col(1, .int64)
        let expected: [(BinaryOperator, [Value])] = [
            (.equal, [.bool(false), .bool(true), .bool(false), .null, .null]),
            (.notEqual, [.bool(true), .bool(false), .bool(true), .null, .null]),
            (.less, [.bool(true), .bool(false), .bool(false), .null, .null]),
            (.lessOrEqual, [.bool(true), .bool(true), .bool(false), .null, .null]),
            (.greater, [.bool(false), .bool(false), .bool(true), .null, .null]),
            (.greaterOrEqual, [.bool(false), .bool(true), .bool(true), .null, .null]),
        ]
        for (op, values) in expected { #expect(try eval(E.bin(op, a, b, .bool), batch) == values, "\(op)") }
        let times = makeBatch([(.timestamp, [.timestamp(-1), .timestamp(5)])])
        #expect(
            try eval(E.bin(.less, E.col(0, .timestamp), .literal(.timestamp(0), type: .timestamp), .bool), times) == [
                .bool(true), .bool(false),
            ])
    }

    @Test func doublesOrderNaNAboveEverythingAndZeroesEqual() throws {
        let batch = makeBatch([
            (.double, [.double(.nan), .double(.nan), .double(-0.0), .double(1), .double(-.infinity)]),
            (.double, [.double(.nan), .double(.infinity), .double(0.0), .double(2), .double(-1e308)]),
        ])
        let a = E.col(0, .double)
        let b = E.col(1, .double)
        #expect(
            try eval(E.bin(.equal, a, b, .bool), batch) == [
                .bool(true), .bool(false), .bool(true), .bool(false), .bool(false),
            ])
        #expect(
            try eval(E.bin(.greater, a, b, .bool), batch) == [
                .bool(false), .bool(true), .bool(false), .bool(false), .bool(false),
            ])
        let mixed = makeBatch([(.int64, [.int64(2), .int64(3)]), (.double, [.double(2.5), .double(3)])])
        #expect(
            try eval(E.bin(.less, E.col(0, .int64), E.col(1, .double), .bool), mixed) == [.bool(true), .bool(false)])
    }

    @Test func stringsCompareByCodePoint() throws {
        let left = ["a", "ab", "z", "é", "", "😀", "\u{FFFF}", "same"]
        let right = ["ab", "a", "é", "z", "a", "\u{FFFF}", "😀", "same"]
        let batch = makeBatch([(.string, left.map(Value.string)), (.string, right.map(Value.string))])
        let result = try eval(E.bin(.less, E.col(0, .string), E.col(1, .string), .bool), batch)
        let expected = zip(left, right).map {
            Value.bool($0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars))
        }
        #expect(result == expected)
        #expect(expected == [true, false, true, false, true, false, true, false].map(Value.bool))
    }

    @Test func boolsOrderFalseFirst() throws {
        let batch = makeBatch([
            (.bool, [.bool(false), .bool(true), .bool(true)]), (.bool, [.bool(true), .bool(true), .bool(false)]),
        ])
        #expect(
            try eval(E.bin(.less, E.col(0, .bool), E.col(1, .bool), .bool), batch) == [
                .bool(true), .bool(false), .bool(false),
            ])
    }

    @Test func inListHasSQLNullSemantics() throws {
        let batch = makeBatch([(.int64, [.int64(1), .int64(2), .null, .int64(3)])])
        let x = E.col(0, .int64)
        let withNull = BoundExpr.inList(x, [E.int(1), E.null(.int64), E.int(3)], negated: false)
        #expect(try eval(withNull, batch) == [.bool(true), .null, .null, .bool(true)])
        let notWithNull = BoundExpr.inList(x, [E.int(1), E.null(.int64), E.int(3)], negated: true)
        #expect(try eval(notWithNull, batch) == [.bool(false), .null, .null, .bool(false)])
        let plain = BoundExpr.inList(x, [E.int(2), E.int(3)], negated: true)
        #expect(try eval(plain, batch) == [.bool(true), .bool(false), .null, .bool(false)])
        let strings = makeBatch([(.string, [.string("GET"), .string("PUT")])])
        let verbs = BoundExpr.inList(E.col(0, .string), [E.str("GET"), E.str("POST")], negated: false)
        #expect(try eval(verbs, strings) == [.bool(true), .bool(false)])
    }

    @Test func caseTakesTheFirstTrueBranchAndNullIsFalse() throws {
        let batch = makeBatch([(.int64, [.int64(1), .int64(5), .null, .int64(20)])])
        let x = E.col(0, .int64)
        let clauses = [
            WhenClause(condition: E.bin(.less, x, E.int(3), .bool), result: E.str("small")),
            WhenClause(condition: E.bin(.less, x, E.int(10), .bool), result: E.str("medium")),
            WhenClause(condition: E.bin(.less, x, E.int(2), .bool), result: E.str("never")),
        ]
        let withElse = BoundExpr.caseWhen(clauses, otherwise: E.str("large"), type: .string)
        #expect(try eval(withElse, batch) == [.string("small"), .string("medium"), .string("large"), .string("large")])
        let withoutElse = BoundExpr.caseWhen(clauses, otherwise: nil, type: .string)
        #expect(try eval(withoutElse, batch) == [.string("small"), .string("medium"), .null, .null])
        let numeric = BoundExpr.caseWhen(
            [WhenClause(condition: E.bool(true), result: x)], otherwise: nil, type: .double)
        #expect(try eval(numeric, batch) == [.double(1), .double(5), .null, .double(20)])
    }

    @Test func filterKeepsOnlyTrueRows() throws {
        let batch = makeBatch([
            (.int64, [.int64(200), .int64(503), .null, .int64(404), .int64(500)]),
            (.string, [.string("/a"), .string("/b"), .string("/c"), .null, .string("/e")]),
        ])
        let kept = try Selection.filter(batch, where: E.bin(.less, E.col(0, .int64), E.int(500), .bool))
        #expect(kept.rows == [[.int64(200), .string("/a")], [.int64(404), .null]])
        #expect(kept.columns[1].strings.offsets == [0, 2, 2])
        let none = try Selection.filter(batch, where: E.null(.bool))
        #expect(none.rowCount == 0 && none.schema == batch.schema)
    }
}

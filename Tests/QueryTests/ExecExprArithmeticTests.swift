import Testing

@testable import Query

@Suite struct ExecExprArithmeticTests {
    let ints = makeBatch([
        (.int64, [.int64(7), .int64(-7), .null, .int64(Int64.max), .int64(Int64.min), .int64(5)]),
        (.int64, [.int64(2), .int64(2), .int64(1), .int64(1), .int64(-1), .int64(0)]),
    ])

    @Test func integerArithmeticWrapsAndPropagatesNull() throws {
        let a = E.col(0, .int64)
        let b = E.col(1, .int64)
        #expect(
            try eval(E.bin(.add, a, b, .int64), ints) == [
                .int64(9), .int64(-5), .null, .int64(Int64.min), .int64(Int64.max), .int64(5),
            ])
        #expect(
            try eval(E.bin(.subtract, a, b, .int64), ints) == [
                .int64(5), .int64(-9), .null, .int64(Int64.max - 1), .int64(Int64.min + 1), .int64(5),
            ])
        #expect(
            try eval(E.bin(.multiply, a, b, .int64), ints) == [
                .int64(14), .int64(-14), .null, .int64(Int64.max), .int64(Int64.min), .int64(0),
            ])
    }

    @Test func moduloFollowsTheDividendSignAndIsNullByZero() throws {
        let result = try eval(E.bin(.modulo, E.col(0, .int64), E.col(1, .int64), .int64), ints)
        #expect(result == [.int64(1), .int64(-1), .null, .int64(0), .int64(0), .null])
    }

    @Test func divisionIsDoubleAndNullByZero() throws {
        let result = try eval(E.bin(.divide, E.col(0, .int64), E.col(1, .int64), .double), ints)
        #expect(
            result == [
                .double(3.5), .double(-3.5), .null, .double(Double(Int64.max)), .double(-Double(Int64.min)), .null,
            ])
        let doubles = makeBatch([
            (.double, [.double(1), .double(-0.0), .double(3)]), (.double, [.double(0), .double(2), .null]),
        ])
        #expect(
            try eval(E.bin(.divide, E.col(0, .double), E.col(1, .double), .double), doubles) == [
                .null, .double(-0.0), .null,
            ])
    }

    @Test func mixedOperandsMeetAtDouble() throws {
        let batch = makeBatch([(.int64, [.int64(3), .null]), (.double, [.double(0.5), .double(1)])])
        #expect(
            try eval(E.bin(.add, E.col(0, .int64), E.col(1, .double), .double), batch) == [.double(3.5), .null])
        #expect(
            try eval(E.bin(.modulo, E.col(1, .double), E.double(0.3), .double), batch).map { value -> Bool in
                if case .double(let d) = value { return abs(d - 0.5.truncatingRemainder(dividingBy: 0.3)) < 1e-12 }
                return false
            } == [true, false])
        #expect(try eval(E.bin(.multiply, E.col(0, .int64), E.int(2), .double), batch) == [.double(6), .null])
    }

    @Test func negationWrapsAtTheMinimum() throws {
        let expr = BoundExpr.unary(.negate, E.col(0, .int64), type: .int64)
        #expect(
            try eval(expr, ints) == [.int64(-7), .int64(7), .null, .int64(-Int64.max), .int64(Int64.min), .int64(-5)])
    }

    @Test func timestampsTakeIntervalArithmetic() throws {
        let batch = makeBatch([(.timestamp, [.timestamp(1000), .null])])
        let shifted = E.bin(.add, E.col(0, .timestamp), E.int(500), .timestamp)
        #expect(try eval(shifted, batch) == [.timestamp(1500), .null])
    }

    @Test func concatenationIsNullWhenEitherSideIs() throws {
        let batch = makeBatch([
            (.string, [.string("ab"), .null, .string("é")]), (.int64, [.int64(1), .int64(2), .null]),
        ])
        let expr = E.bin(.concat, E.col(0, .string), E.col(1, .int64), .string)
        #expect(try eval(expr, batch) == [.string("ab1"), .null, .null])
    }

    @Test func badReferencesAndOperandsAreTypedErrors() {
        let batch = makeBatch([(.string, [.string("x")])])
        #expect(throws: ExprError.columnOutOfRange(index: 3, columns: 1)) { try evaluate(E.col(3, .int64), batch) }
        #expect(throws: ExprError.self) { try evaluate(E.bin(.add, E.col(0, .string), E.int(1), .int64), batch) }
        #expect(throws: ExprError.self) { try evaluate(E.col(0, .int64), batch) }
    }
}

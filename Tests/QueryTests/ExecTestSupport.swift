import Testing

@testable import Query

/// Small builders for hand-made batches and expressions in the Exec tests.
enum E {
    static func col(_ index: Int, _ type: DataType) -> BoundExpr { .column(index: index, type: type) }
    static func int(_ value: Int64) -> BoundExpr { .literal(.int64(value), type: .int64) }
    static func double(_ value: Double) -> BoundExpr { .literal(.double(value), type: .double) }
    static func str(_ value: String) -> BoundExpr { .literal(.string(value), type: .string) }
    static func bool(_ value: Bool) -> BoundExpr { .literal(.bool(value), type: .bool) }
    static func null(_ type: DataType) -> BoundExpr { .literal(.null, type: type) }
    static func bin(_ op: BinaryOperator, _ left: BoundExpr, _ right: BoundExpr, _ type: DataType) -> BoundExpr {
        .binary(op, left, right, type: type)
    }
    static func call(_ function: ScalarFunction, _ arguments: [BoundExpr], _ type: DataType) -> BoundExpr {
        .function(function, arguments, type: type)
    }
}

/// A batch with one column per entry, named c0, c1, ...
func makeBatch(_ columns: [(DataType, [Value])]) -> RecordBatch {
    let fields = columns.enumerated().map { Field("c\($0.offset)", $0.element.0) }
    return RecordBatch(schema: Schema(fields), columns: columns.map { Column($0.0, values: $0.1) })
}

/// Every value of a column, boxed.
func boxed(_ column: Column) -> [Value] { (0..<column.count).map(column.value(at:)) }

/// Evaluates `expr` over `batch` and boxes the result.
func eval(_ expr: BoundExpr, _ batch: RecordBatch) throws -> [Value] { boxed(try evaluate(expr, batch)) }

/// Evaluates a function of one string argument over `inputs`.
func evalStrings(_ inputs: [Value], _ build: (BoundExpr) -> BoundExpr) throws -> [Value] {
    try eval(build(E.col(0, .string)), makeBatch([(.string, inputs)]))
}

/// A small deterministic generator (SplitMix64) so seeded tests replay exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

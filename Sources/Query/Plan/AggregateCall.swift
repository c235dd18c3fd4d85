/// The aggregate functions. Each has a partial state that map tasks build and reduce tasks
/// merge, so every one of them is computed exactly across partitions and batches (except
/// `approxCountDistinct`, a HyperLogLog with ≤ 2% error).
public enum AggregateKind: Sendable, Hashable {
    /// `count(*)`: rows.
    case countStar
    /// `count(x)`: rows where x is not NULL.
    case count
    /// `count(DISTINCT x)`: exact; the state keeps every distinct non-null value.
    case countDistinct
    /// `approx_count_distinct(x)`: HyperLogLog.
    case approxCountDistinct
    /// `sum(x)`: BIGINT for BIGINT input, else DOUBLE; NULL when no non-null input.
    case sum
    /// `min(x)` of any ordered type.
    case min
    /// `max(x)` of any ordered type.
    case max
    /// `avg(x)`: DOUBLE.
    case avg
    /// `top_k(x, k)`: the k most frequent non-null values with their counts, most frequent first
    /// (ties by value), as a JSON array string `[{"value":"/a","count":3},...]`; exact.
    case topK(Int)
}

/// One aggregate of a query: its kind, its argument (nil for `count(*)`) and result type.
public struct AggregateCall: Sendable, Hashable {
    /// Which aggregate.
    public var kind: AggregateKind
    /// The argument, over the aggregation's input batch; nil for `count(*)`.
    public var argument: BoundExpr?
    /// The type of the aggregate's result.
    public var resultType: DataType

    /// An aggregate call.
    public init(_ kind: AggregateKind, _ argument: BoundExpr?, resultType: DataType) {
        self.kind = kind
        self.argument = argument
        self.resultType = resultType
    }
}

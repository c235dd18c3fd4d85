/// The function names SQL may call.
enum FunctionCatalog {
    /// Scalar function names, with the aliases Spark also accepts.
    static let scalars: [(name: String, function: ScalarFunction)] =
        ScalarFunction.allCases.map { ($0.rawValue, $0) } + [("substr", .substring)]

    static func scalar(named name: String) -> ScalarFunction? {
        scalars.first { $0.name == name }?.function
    }

    /// Every callable name, for "unknown function" messages.
    static var allNames: [String] {
        scalars.map(\.name) + AggregateFunctions.names + ["window", "session_window"]
    }

    /// The units `date_trunc` accepts.
    static let dateTruncUnits = ["year", "month", "day", "hour", "minute", "second"]
}

/// The aggregate function names.
enum AggregateFunctions {
    static let names = ["count", "sum", "min", "max", "avg", "approx_count_distinct", "top_k"]
    /// `top_k`'s k may not exceed this: its state keeps every value, but its output is one row.
    static let topKMax = 1000

    static func isAggregate(_ name: String) -> Bool { names.contains(name) }
}

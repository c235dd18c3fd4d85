/// The built-in scalar functions. Argument and result types are checked by the analyzer.
public enum ScalarFunction: String, Sendable, Hashable, CaseIterable {
    /// `coalesce(a, b, ...)`: the first non-null argument.
    case coalesce
    /// `lower(s)`.
    case lower
    /// `upper(s)`.
    case upper
    /// `length(s)`: characters (Unicode scalars), as in Spark.
    case length
    /// `substring(s, pos[, len])`: 1-based, as in Spark.
    case substring
    /// `split_part(s, delimiter, n)`: 1-based part, empty string past the end.
    case splitPart = "split_part"
    /// `regexp_extract(s, pattern, group)`: empty string when nothing matches, as in Spark.
    case regexpExtract = "regexp_extract"
    /// `date_trunc(unit, ts)`: unit is one of year, month, day, hour, minute, second.
    case dateTrunc = "date_trunc"
    /// `hour(ts)`: 0–23, UTC.
    case hour
}

/// Why an expression could not be evaluated over a batch. Per-row problems (a bad cast, a division
/// by zero) are NULLs, as in Spark; these errors are about the expression itself.
public enum ExprError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A column reference points past the batch's columns.
    case columnOutOfRange(index: Int, columns: Int)
    /// An operand's type is not one the operator or function takes.
    case typeMismatch(context: String, found: DataType)
    /// A function got the wrong number of arguments.
    case argumentCount(function: String, count: Int)
    /// A `regexp_extract` pattern does not compile.
    case invalidRegex(pattern: String, detail: String)
    /// A `regexp_extract` group index is negative or past the pattern's groups.
    case regexGroupOutOfRange(pattern: String, group: Int64, groups: Int)

    public var description: String {
        switch self {
        case .columnOutOfRange(let index, let columns):
            "column #\(index) does not exist in a batch of \(columns) columns"
        case .typeMismatch(let context, let found):
            "\(context) does not take a \(found) operand"
        case .argumentCount(let function, let count):
            "\(function) does not take \(count) arguments"
        case .invalidRegex(let pattern, let detail):
            "regexp_extract: the pattern '\(pattern)' does not compile: \(detail)"
        case .regexGroupOutOfRange(let pattern, let group, let groups):
            "regexp_extract: the pattern '\(pattern)' has \(groups) groups, so group \(group) does not exist"
        }
    }
}

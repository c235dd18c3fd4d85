extension ExprEvaluator {
    /// A built-in scalar function over whole columns; arguments are coerced to the types it takes.
    mutating func call(_ function: ScalarFunction, _ arguments: [BoundExpr], type: DataType) throws -> Column {
        let name = function.rawValue
        func argument(_ index: Int, as argumentType: DataType) throws -> Column {
            coerce(try evaluate(arguments[index]), to: argumentType)
        }
        func require(_ counts: ClosedRange<Int>) throws {
            guard counts.contains(arguments.count) else {
                throw ExprError.argumentCount(function: name, count: arguments.count)
            }
        }
        switch function {
        case .coalesce:
            try require(1...Int.max)
            var sources: [Column] = []
            for index in arguments.indices { sources.append(try argument(index, as: type)) }
            return StringFunctions.coalesce(sources, type: type)
        case .lower, .upper:
            try require(1...1)
            return StringFunctions.changeCase(try argument(0, as: .string), upper: function == .upper)
        case .length:
            try require(1...1)
            return coerce(StringFunctions.length(try argument(0, as: .string)), to: type)
        case .substring:
            try require(2...3)
            let length = arguments.count == 3 ? try argument(2, as: .int64) : nil
            return StringFunctions.substring(try argument(0, as: .string), try argument(1, as: .int64), length)
        case .splitPart:
            try require(3...3)
            return StringFunctions.splitPart(
                try argument(0, as: .string), try argument(1, as: .string), try argument(2, as: .int64))
        case .regexpExtract:
            try require(2...3)
            let group = arguments.count == 3 ? try argument(2, as: .int64) : nil
            return try regexpExtract(try argument(0, as: .string), try argument(1, as: .string), group)
        case .dateTrunc:
            try require(2...2)
            return DateFunctions.dateTrunc(try argument(0, as: .string), try argument(1, as: .timestamp))
        case .hour:
            try require(1...1)
            return coerce(DateFunctions.hour(try argument(0, as: .timestamp)), to: type)
        }
    }
}

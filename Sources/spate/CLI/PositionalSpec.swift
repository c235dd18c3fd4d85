/// One positional argument of a command, such as `NAME` in `spate topics create NAME`.
struct PositionalSpec: Sendable, Equatable {
    /// How many words a positional takes.
    enum Arity: Sendable, Equatable {
        /// Exactly one word; parsing fails without it.
        case required
        /// Zero or one word.
        case optional
        /// Every remaining word, possibly none; only the last positional may be variadic.
        case variadic
    }

    /// The name shown in help and used to read the value, by convention in capitals.
    let name: String
    let arity: Arity
    let help: String

    /// A positional that must be present.
    static func required(_ name: String, help: String) -> PositionalSpec {
        PositionalSpec(name: name, arity: .required, help: help)
    }

    /// A positional that may be left out.
    static func optional(_ name: String, help: String) -> PositionalSpec {
        PositionalSpec(name: name, arity: .optional, help: help)
    }

    /// A positional that takes all remaining words.
    static func variadic(_ name: String, help: String) -> PositionalSpec {
        PositionalSpec(name: name, arity: .variadic, help: help)
    }

    /// The positional as it appears in a synopsis: `NAME`, `[NAME]` or `[NAME...]`.
    var synopsis: String {
        switch arity {
        case .required: name
        case .optional: "[\(name)]"
        case .variadic: "[\(name)...]"
        }
    }
}

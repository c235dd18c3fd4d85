/// The type of value a flag takes; `bool` flags take none unless written `--flag=true|false`.
enum FlagKind: Sendable, Equatable {
    case bool
    case string
    case int
    case double

    /// The phrase used in messages, as in "expected an integer".
    var expectation: String {
        switch self {
        case .bool: "true or false"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a finite number"
        }
    }

    /// Converts the text of a flag value, or returns nil when the text does not fit this kind.
    func decode(_ text: String) -> ArgumentValue? {
        switch self {
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes": return .bool(true)
            case "false", "0", "no": return .bool(false)
            default: return nil
            }
        case .string:
            return .string(text)
        case .int:
            return Int(text).map(ArgumentValue.int)
        case .double:
            // Double(_:) accepts "nan" and "inf"; no flag of ours means either.
            guard let value = Double(text), value.isFinite else { return nil }
            return .double(value)
        }
    }
}

/// A typed flag value after parsing.
enum ArgumentValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case string(String)
    case int(Int)
    case double(Double)

    /// The value as a user would type it: `2` rather than `2.0`, `""` for an empty string.
    var description: String {
        switch self {
        case .bool(let value): return String(value)
        case .string(let value): return value.isEmpty ? "\"\"" : value
        case .int(let value): return String(value)
        case .double(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
            return String(value)
        }
    }
}

/// One `--name` flag of a command: its kind, default, help line and the word shown for its value.
struct FlagSpec: Sendable, Equatable {
    /// The name without dashes: `port` for `--port`.
    let name: String
    let kind: FlagKind
    /// Filled in when the user does not pass the flag.
    let defaultValue: ArgumentValue?
    /// Parsing fails with a usage error when a required flag is absent.
    let isRequired: Bool
    /// The placeholder shown in help, as in `--port PORT`.
    let valueName: String
    let help: String

    init(name: String, kind: FlagKind, defaultValue: ArgumentValue?, isRequired: Bool, valueName: String, help: String)
    {
        precondition(!(isRequired && defaultValue != nil), "flag --\(name) cannot be required and have a default")
        if let defaultValue { precondition(kind.matches(defaultValue), "flag --\(name) has a default of another kind") }
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isRequired = isRequired
        self.valueName = valueName
        self.help = help
    }

    /// Whether every successful parse holds a value for this flag.
    var alwaysHasValue: Bool { defaultValue != nil || isRequired }

    /// A switch such as `--json`; absent means `default` (false unless stated).
    static func bool(_ name: String, default value: Bool = false, help: String) -> FlagSpec {
        FlagSpec(name: name, kind: .bool, defaultValue: .bool(value), isRequired: false, valueName: "", help: help)
    }

    /// A text flag; also the kind for `host:port` addresses, which the handler checks.
    static func string(
        _ name: String, default value: String? = nil, required: Bool = false, valueName: String = "VALUE",
        help: String
    ) -> FlagSpec {
        FlagSpec(
            name: name, kind: .string, defaultValue: value.map(ArgumentValue.string), isRequired: required,
            valueName: valueName, help: help)
    }

    /// An integer flag such as `--port 9092`.
    static func int(
        _ name: String, default value: Int? = nil, required: Bool = false, valueName: String = "N", help: String
    ) -> FlagSpec {
        FlagSpec(
            name: name, kind: .int, defaultValue: value.map(ArgumentValue.int), isRequired: required,
            valueName: valueName, help: help)
    }

    /// A floating-point flag such as `--seconds 2.5`.
    static func double(
        _ name: String, default value: Double? = nil, required: Bool = false, valueName: String = "X",
        help: String
    ) -> FlagSpec {
        FlagSpec(
            name: name, kind: .double, defaultValue: value.map(ArgumentValue.double), isRequired: required,
            valueName: valueName, help: help)
    }
}

extension FlagKind {
    /// Whether `value` is of this kind.
    func matches(_ value: ArgumentValue) -> Bool {
        switch (self, value) {
        case (.bool, .bool), (.string, .string), (.int, .int), (.double, .double): true
        default: false
        }
    }
}

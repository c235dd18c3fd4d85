/// The flag and positional values a handler receives, already typed and checked against its spec.
///
/// Accessors trap (by `precondition`) only on programmer errors that no user input can cause:
/// reading an undeclared name, the wrong kind, or a non-optional read of a flag without a default.
struct ParsedArguments: Sendable {
    /// The words that selected the command, root first: `["spate", "bench", "rpc"]`.
    let commandPath: [String]
    /// Flags of every command on the path; a handler normally reads only its own.
    let flagSpecs: [FlagSpec]
    let positionalSpecs: [PositionalSpec]
    /// Values after defaults were applied.
    let flagValues: [String: ArgumentValue]
    /// Names of the flags the user actually typed.
    let explicitFlags: Set<String>
    /// Words per positional name; one word for required and optional, any number for variadic.
    let positionalValues: [String: [String]]

    /// The command as the user would type it: `spate bench rpc`.
    var commandLine: String { commandPath.joined(separator: " ") }

    /// Whether the user passed `--name` rather than relying on its default.
    func isSet(_ name: String) -> Bool {
        _ = spec(name)
        return explicitFlags.contains(name)
    }

    /// The value of a boolean flag.
    func bool(_ name: String) -> Bool {
        guard case .bool(let value) = guaranteed(name, .bool) else { unreachableKind(name) }
        return value
    }

    /// The value of a string flag that has a default or is required.
    func string(_ name: String) -> String {
        guard case .string(let value) = guaranteed(name, .string) else { unreachableKind(name) }
        return value
    }

    /// The value of an integer flag that has a default or is required.
    func int(_ name: String) -> Int {
        guard case .int(let value) = guaranteed(name, .int) else { unreachableKind(name) }
        return value
    }

    /// The value of a floating-point flag that has a default or is required.
    func double(_ name: String) -> Double {
        guard case .double(let value) = guaranteed(name, .double) else { unreachableKind(name) }
        return value
    }

    /// The value of a string flag without a default, nil when absent.
    func optionalString(_ name: String) -> String? {
        guard case .string(let value) = optional(name, .string) else { return nil }
        return value
    }

    /// The value of an integer flag without a default, nil when absent.
    func optionalInt(_ name: String) -> Int? {
        guard case .int(let value) = optional(name, .int) else { return nil }
        return value
    }

    /// The value of a floating-point flag without a default, nil when absent.
    func optionalDouble(_ name: String) -> Double? {
        guard case .double(let value) = optional(name, .double) else { return nil }
        return value
    }

    /// The word given for a required positional.
    func positional(_ name: String) -> String {
        let spec = positionalSpec(name)
        precondition(spec.arity == .required, "positional \(name) of '\(commandLine)' is not required")
        guard let value = positionalValues[name]?.first else {
            preconditionFailure("parser left required positional \(name) of '\(commandLine)' empty")
        }
        return value
    }

    /// The word given for an optional positional, nil when left out.
    func optionalPositional(_ name: String) -> String? {
        let spec = positionalSpec(name)
        precondition(spec.arity == .optional, "positional \(name) of '\(commandLine)' is not optional")
        return positionalValues[name]?.first
    }

    /// The words collected by a variadic positional, possibly none.
    func variadic(_ name: String) -> [String] {
        let spec = positionalSpec(name)
        precondition(spec.arity == .variadic, "positional \(name) of '\(commandLine)' is not variadic")
        return positionalValues[name] ?? []
    }

    private func spec(_ name: String) -> FlagSpec {
        // Deeper commands come last and shadow their parents.
        guard let spec = flagSpecs.last(where: { $0.name == name }) else {
            preconditionFailure("flag --\(name) is not declared for '\(commandLine)'")
        }
        return spec
    }

    private func guaranteed(_ name: String, _ kind: FlagKind) -> ArgumentValue? {
        let spec = spec(name)
        precondition(spec.kind == kind, "flag --\(name) of '\(commandLine)' is \(spec.kind), not \(kind)")
        precondition(spec.alwaysHasValue, "flag --\(name) of '\(commandLine)' has no default; read it as optional")
        return flagValues[name]
    }

    private func optional(_ name: String, _ kind: FlagKind) -> ArgumentValue? {
        let spec = spec(name)
        precondition(spec.kind == kind, "flag --\(name) of '\(commandLine)' is \(spec.kind), not \(kind)")
        return flagValues[name]
    }

    private func positionalSpec(_ name: String) -> PositionalSpec {
        guard let spec = positionalSpecs.first(where: { $0.name == name }) else {
            preconditionFailure("positional \(name) is not declared for '\(commandLine)'")
        }
        return spec
    }

    private func unreachableKind(_ name: String) -> Never {
        preconditionFailure("parser stored no value of the declared kind for --\(name) of '\(commandLine)'")
    }
}

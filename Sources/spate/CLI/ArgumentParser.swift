/// Parses command-line words (without the program name) against the tree under `root`. Pure: no I/O.
///
/// Rules: a word naming a subcommand descends into it while no positional has been taken; flags
/// of the command reached so far and of the commands above it are accepted; `--flag value` and
/// `--flag=value` are equivalent; a boolean flag takes no separate value; the last of repeated
/// flags wins; after `--` every word is positional; `-h`/`--help` anywhere before `--` prints
/// help, even when the line has other errors.
func parse(arguments: [String], root: CommandSpec) -> ParseOutcome {
    var parser = ArgumentParser(arguments: arguments, root: root)
    do throws(UsageError) {
        return try parser.run()
    } catch {
        // Asking for help beats any mistake made earlier on the same line.
        if parser.helpRequestedLater() {
            return .help(command: parser.current, ancestors: parser.ancestors)
        }
        return .usageError(error)
    }
}

/// The cursor and the values collected so far; one parse, then discarded.
private struct ArgumentParser {
    let arguments: [String]
    private(set) var path: [CommandSpec]
    private var index = 0
    private var flagsEnded = false
    private var flagValues: [String: ArgumentValue] = [:]
    private var explicitFlags: Set<String> = []
    private var positionalWords: [String] = []

    init(arguments: [String], root: CommandSpec) {
        self.arguments = arguments
        self.path = [root]
    }

    var current: CommandSpec { path[path.count - 1] }
    var pathNames: [String] { path.map(\.name) }
    var ancestors: [CommandSpec] { Array(path.dropLast()) }

    mutating func run() throws(UsageError) -> ParseOutcome {
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if flagsEnded {
                positionalWords.append(word)
            } else if let outcome = try take(word) {
                return outcome
            }
        }
        return try finish()
    }

    func helpRequestedLater() -> Bool {
        guard !flagsEnded, index <= arguments.count else { return false }
        for word in arguments[index...] {
            if word == "--" { return false }
            if Self.isHelp(word) { return true }
        }
        return false
    }

    private mutating func take(_ word: String) throws(UsageError) -> ParseOutcome? {
        if word == "--" {
            flagsEnded = true
        } else if Self.isHelp(word) {
            return .help(command: current, ancestors: ancestors)
        } else if word == "--version", path.count == 1, let version = current.version {
            return .version("\(current.name) \(version)")
        } else if Self.isFlag(word) {
            try takeFlag(word)
        } else if try !descend(into: word) {
            positionalWords.append(word)
        }
        return nil
    }

    private mutating func takeFlag(_ word: String) throws(UsageError) {
        let (typed, inlineValue) = Self.split(word)
        let name = String(typed.drop { $0 == "-" })
        guard typed.hasPrefix("--"), let spec = flag(named: name) else {
            throw failure(.unknownFlag(typed, suggestion: suggestFlag(for: name)))
        }
        let text: String
        if let inlineValue {
            text = inlineValue
        } else if spec.kind == .bool {
            text = "true"
        } else if index < arguments.count, !Self.looksLikeFlagNotValue(arguments[index]) {
            text = arguments[index]
            index += 1
        } else {
            throw failure(.missingValue(flag: name, valueName: spec.valueName))
        }
        guard let value = spec.kind.decode(text) else {
            throw failure(.invalidValue(flag: name, value: text, expected: spec.kind))
        }
        flagValues[name] = value
        explicitFlags.insert(name)
    }

    /// Moves into the subcommand `word` names; false when `word` is a positional instead.
    private mutating func descend(into word: String) throws(UsageError) -> Bool {
        guard !current.subcommands.isEmpty, positionalWords.isEmpty else { return false }
        if let subcommand = current.subcommand(named: word) {
            path.append(subcommand)
            return true
        }
        if !current.positionals.isEmpty { return false }
        let names = current.subcommands.map(\.name)
        throw failure(.unknownCommand(word, suggestion: Suggestions.closest(to: word, among: names)))
    }

    private mutating func finish() throws(UsageError) -> ParseOutcome {
        guard let handler = current.handler else {
            throw failure(.missingCommand(available: current.subcommands.map(\.name)))
        }
        let positionals = try assignPositionals()
        try applyFlagDefaults()
        let arguments = ParsedArguments(
            commandPath: pathNames, flagSpecs: path.flatMap(\.flags), positionalSpecs: current.positionals,
            flagValues: flagValues, explicitFlags: explicitFlags, positionalValues: positionals)
        return .run(handler: handler, arguments: arguments)
    }

    private func assignPositionals() throws(UsageError) -> [String: [String]] {
        var remaining = positionalWords[...]
        var assigned: [String: [String]] = [:]
        for spec in current.positionals {
            switch spec.arity {
            case .required:
                guard let word = remaining.popFirst() else { throw failure(.missingPositional(spec.name)) }
                assigned[spec.name] = [word]
            case .optional:
                if let word = remaining.popFirst() { assigned[spec.name] = [word] }
            case .variadic:
                assigned[spec.name] = Array(remaining)
                remaining = []
            }
        }
        if let extra = remaining.first { throw failure(.unexpectedArgument(extra)) }
        return assigned
    }

    private mutating func applyFlagDefaults() throws(UsageError) {
        for command in path {
            for spec in command.flags where flagValues[spec.name] == nil {
                if let value = spec.defaultValue {
                    flagValues[spec.name] = value
                } else if spec.isRequired {
                    throw failure(.missingFlag(spec.name, valueName: spec.valueName))
                }
            }
        }
    }

    /// A flag of the current command or of any command above it; validation forbids shadowing.
    private func flag(named name: String) -> FlagSpec? {
        path.reversed().lazy.compactMap { $0.flag(named: name) }.first
    }

    private func suggestFlag(for name: String) -> String? {
        var names = path.reversed().flatMap { $0.flags.map(\.name) } + ["help"]
        if path.count == 1, current.version != nil { names.append("version") }
        return Suggestions.closest(to: name, among: names).map { "--" + $0 }
    }

    private func failure(_ problem: UsageError.Problem) -> UsageError {
        UsageError(commandPath: pathNames, problem: problem)
    }

    private static func isHelp(_ word: String) -> Bool {
        word == "-h" || word == "--help" || word.hasPrefix("--help=")
    }

    /// `-` alone (stdin by convention) and negative numbers are positionals, not flags.
    private static func isFlag(_ word: String) -> Bool {
        word.hasPrefix("-") && word.count > 1 && Double(word) == nil
    }

    /// A value may begin with one dash (`--offset -1`) but not two, so `--port --json` is an error.
    private static func looksLikeFlagNotValue(_ word: String) -> Bool {
        word.hasPrefix("--") || word == "-h"
    }

    private static func split(_ word: String) -> (flag: String, value: String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }
}

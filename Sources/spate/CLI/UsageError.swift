/// A command line that does not fit the command tree; reported on stderr with exit code 2.
struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, with the words the user typed.
    enum Problem: Sendable, Equatable {
        /// `flag` as typed (without any `=value`); `suggestion` is the closest declared flag, with dashes.
        case unknownFlag(String, suggestion: String?)
        case unknownCommand(String, suggestion: String?)
        /// A group such as `spate bench` was given no subcommand.
        case missingCommand(available: [String])
        case missingValue(flag: String, valueName: String)
        case invalidValue(flag: String, value: String, expected: FlagKind)
        case missingFlag(String, valueName: String)
        case missingPositional(String)
        case unexpectedArgument(String)
        /// Raised by a handler through `InvalidArgument`, for checks the parser cannot make.
        case invalid(String)
    }

    /// The command being parsed when the problem was found: `["spate", "bench", "rpc"]`.
    let commandPath: [String]
    let problem: Problem

    /// The command as typed, quoted in messages and in the help hint.
    var commandLine: String { commandPath.joined(separator: " ") }

    /// One line without a trailing newline, e.g. "unknown flag --prot for 'spate broker'; did you mean --port?".
    var description: String {
        let command = "'\(commandLine)'"
        switch problem {
        case .unknownFlag(let flag, let suggestion):
            return "unknown flag \(flag) for \(command)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .unknownCommand(let word, let suggestion):
            return "unknown command '\(word)' for \(command)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .missingCommand(let available):
            return "\(command) needs a command: " + available.joined(separator: ", ")
        case .missingValue(let flag, let valueName):
            return "flag --\(flag) for \(command) needs a value: --\(flag) \(valueName)"
        case .invalidValue(let flag, let value, let expected):
            return "invalid value '\(value)' for --\(flag) in \(command): expected \(expected.expectation)"
        case .missingFlag(let flag, let valueName):
            return "missing required flag --\(flag) \(valueName) for \(command)"
        case .missingPositional(let name):
            return "missing argument \(name) for \(command)"
        case .unexpectedArgument(let word):
            return "unexpected argument '\(word)' for \(command)"
        case .invalid(let message):
            return "\(message) (in \(command))"
        }
    }

    /// The line printed after every usage error.
    var helpHint: String { "Run '\(commandLine) --help' for usage." }
}

/// Thrown by a handler for a value the parser accepted but the command cannot use; exits with code 2.
struct InvalidArgument: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence naming the flag or argument, e.g. "--seconds must be greater than 0, got -1".
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

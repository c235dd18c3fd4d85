/// What a command line asks for; produced by `parse(arguments:root:)` without any I/O.
enum ParseOutcome: Sendable {
    /// Run `handler` with `arguments`.
    case run(handler: CommandHandler, arguments: ParsedArguments)
    /// Print the help of `command`, reached through `ancestors` (root first, `command` excluded).
    case help(command: CommandSpec, ancestors: [CommandSpec])
    /// Print this line, e.g. "spate 0.1.0".
    case version(String)
    case usageError(UsageError)
}

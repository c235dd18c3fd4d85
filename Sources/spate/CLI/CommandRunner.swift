import Foundation

/// Where the runner writes; tests pass closures that record instead of printing.
struct CommandOutput: Sendable {
    let standardOutput: @Sendable (String) -> Void
    let standardError: @Sendable (String) -> Void

    /// The process's own stdout and stderr.
    static let process = CommandOutput(
        standardOutput: { text in print(text, terminator: "") },
        standardError: { text in StandardStreams.writeError(text) })
}

/// The thin shell around `parse`: prints help, versions and errors, runs handlers, picks the exit code.
enum CommandRunner {
    /// Parses `arguments` (without the program name), acts on the outcome and returns the exit code.
    static func run(arguments: [String], root: CommandSpec, output: CommandOutput) async -> Int32 {
        switch parse(arguments: arguments, root: root) {
        case .help(let command, let ancestors):
            output.standardOutput(HelpFormatter.render(command, ancestors: ancestors))
            return ExitCode.success
        case .version(let line):
            output.standardOutput(line + "\n")
            return ExitCode.success
        case .usageError(let error):
            report(error, to: output)
            return ExitCode.usage
        case .run(let handler, let arguments):
            return await execute(handler, arguments, output: output)
        }
    }

    private static func execute(_ handler: CommandHandler, _ arguments: ParsedArguments, output: CommandOutput)
        async -> Int32
    {
        do {
            return try await handler(arguments)
        } catch let error as InvalidArgument {
            report(UsageError(commandPath: arguments.commandPath, problem: .invalid(error.message)), to: output)
            return ExitCode.usage
        } catch {
            output.standardError("\(arguments.commandLine): error: \(error)\n")
            return ExitCode.failure
        }
    }

    private static func report(_ error: UsageError, to output: CommandOutput) {
        output.standardError("error: \(error)\n\(error.helpHint)\n")
    }
}

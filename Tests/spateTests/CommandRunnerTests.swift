import Synchronization
import Testing

@testable import spate

/// Collects what the runner writes, so tests can check which stream got what.
final class OutputRecorder: Sendable {
    private let streams = Mutex<(out: String, err: String)>(("", ""))

    var output: CommandOutput {
        CommandOutput(
            standardOutput: { text in self.streams.withLock { $0.out += text } },
            standardError: { text in self.streams.withLock { $0.err += text } })
    }

    var standardOutput: String { streams.withLock { $0.out } }
    var standardError: String { streams.withLock { $0.err } }
}

private struct DiskFull: Error, CustomStringConvertible {
    var description: String { "disk full writing /tmp/x" }
}

@Suite struct CommandRunnerTests {
    private static let root = CommandSpec(
        name: "spate", summary: "root", version: "1.2.3",
        subcommands: [
            CommandSpec(
                name: "exit", summary: "return a code", positionals: [.required("CODE", help: "the code")],
                handler: { arguments in Int32(arguments.positional("CODE")) ?? 99 }),
            CommandSpec(name: "fail", summary: "throw", handler: { _ in throw DiskFull() }),
            CommandSpec(
                name: "check", summary: "reject a value",
                flags: [.int("count", default: 1, help: "how many")],
                handler: { arguments in
                    guard arguments.int("count") > 0 else { throw InvalidArgument("--count must be positive") }
                    return ExitCode.success
                }),
        ])

    private func run(_ words: [String]) async -> (code: Int32, out: String, err: String) {
        let recorder = OutputRecorder()
        let code = await CommandRunner.run(arguments: words, root: Self.root, output: recorder.output)
        return (code, recorder.standardOutput, recorder.standardError)
    }

    @Test func helpGoesToStandardOutputWithCodeZero() async {
        let result = await run(["exit", "--help"])
        #expect(result.code == ExitCode.success)
        #expect(result.out.hasPrefix("Usage:\n  spate exit CODE\n"))
        #expect(result.err.isEmpty)
    }

    @Test func versionGoesToStandardOutputWithCodeZero() async {
        let result = await run(["--version"])
        #expect(result == (0, "spate 1.2.3\n", ""))
    }

    @Test func usageErrorGoesToStandardErrorWithCodeTwo() async {
        let result = await run(["exti", "3"])
        #expect(result.code == ExitCode.usage)
        #expect(result.out.isEmpty)
        #expect(
            result.err
                == "error: unknown command 'exti' for 'spate'; did you mean 'exit'?\nRun 'spate --help' for usage.\n")
    }

    @Test func handlerCodeIsPassedThrough() async {
        #expect(await run(["exit", "0"]).code == 0)
        #expect(await run(["exit", "1"]).code == 1)
        #expect(await run(["exit", "7"]).code == 7)
    }

    @Test func thrownErrorIsARuntimeFailure() async {
        let result = await run(["fail"])
        #expect(result == (ExitCode.failure, "", "spate fail: error: disk full writing /tmp/x\n"))
    }

    @Test func invalidArgumentFromAHandlerIsAUsageError() async {
        let result = await run(["check", "--count", "0"])
        #expect(result.code == ExitCode.usage)
        #expect(
            result.err == "error: --count must be positive (in 'spate check')\nRun 'spate check --help' for usage.\n")
        #expect(await run(["check", "--count", "2"]).code == ExitCode.success)
    }

    @Test func exitCodesAreDistinct() {
        #expect([ExitCode.success, ExitCode.failure, ExitCode.usage] == [0, 1, 2])
    }
}

import Foundation

let exitCode = await CommandRunner.run(
    arguments: Array(CommandLine.arguments.dropFirst()), root: CommandTable.root, output: .process)
// exit() also flushes buffered stdout, which print() filled.
exit(exitCode)

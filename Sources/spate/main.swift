import Foundation

// A broker, driver or executor started by `spate demo` ends when the demo does, however it ends.
ParentWatch.startIfAsked()
let exitCode = await CommandRunner.run(
    arguments: Array(CommandLine.arguments.dropFirst()), root: CommandTable.root, output: .process)
// exit() also flushes buffered stdout, which print() filled.
exit(exitCode)

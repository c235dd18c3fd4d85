import Foundation
import Wire

// Batch-sized buffers (fetched records, shuffle blocks, RPC frames) reuse heap memory instead of a
// fresh mapping each time, whose every page faults and is zeroed by the kernel.
// Task-running processes also keep one malloc arena (see the function for the measured trade-off).
let command = CommandLine.arguments.dropFirst().first
let runsTasks =
    command == "executor" || command == "run"
    || (command == "bench" && CommandLine.arguments.dropFirst(2).first == "query")
Posix.keepLargeAllocationsInHeap(oneArena: runsTasks)

// A broker, driver or executor started by `spate demo` ends when the demo does, however it ends.
ParentWatch.startIfAsked()
let exitCode = await CommandRunner.run(
    arguments: Array(CommandLine.arguments.dropFirst()), root: CommandTable.root, output: .process)
// exit() also flushes buffered stdout, which print() filled.
exit(exitCode)

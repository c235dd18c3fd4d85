import Foundation
import Query

/// `spate bench exec`: the pv_uv job's map and reduce tasks alone (no broker, no decoding) over
/// generated clicks, timed with the thread's CPU clock so other processes' load stays out.
extension BenchCommands {
    static let exec = CommandSpec(
        name: "exec",
        summary: "Measure the pv_uv job's map and reduce tasks alone (rows per CPU-second)",
        description: """
            Run the pv_uv job's map and reduce tasks in this thread over --events generated clicks, \
            decoded straight from the generator: each batch of --batch-rows events is dealt to \
            --map-tasks map tasks, then one reduce task per partition merges their blocks, as \
            `spate bench query` runs them. Prints map, reduce and combined rows per CPU-second for \
            each of --repeat runs, then the best of them.
            """,
        flags: [
            .int("events", default: 2_000_000, help: "click events per run"),
            .int("batch-rows", default: 250_000, help: "events per batch (split over the map tasks)"),
            .int("map-tasks", default: 2, help: "map tasks per batch"),
            .int("repeat", default: 3, help: "runs"),
        ],
        handler: { arguments in
            let events = arguments.int("events")
            let batchRows = arguments.int("batch-rows")
            let mapTasks = arguments.int("map-tasks")
            let runs = arguments.int("repeat")
            guard (1...eventsMax).contains(events), batchRows >= 1, (1...64).contains(mapTasks),
                (1...100).contains(runs)
            else {
                throw InvalidArgument(
                    "need --events in 1...\(eventsMax), --batch-rows ≥ 1, --map-tasks in 1...64, --repeat in 1...100")
            }
            do {
                var best: ExecBenchmark.Result?
                for run in 1...runs {
                    let result = try ExecBenchmark.runClicks(
                        events: events, batchRows: batchRows, mapTasks: mapTasks, nowNs: ThreadCPU.nanoseconds)
                    print("run \(run): " + BenchExecText.line(result))
                    if best.map({ result.mapSeconds + result.reduceSeconds < $0.mapSeconds + $0.reduceSeconds }) ?? true
                    {
                        best = result
                    }
                }
                if let best { print("best:  " + BenchExecText.line(best)) }
                return ExitCode.success
            } catch {
                StandardStreams.writeError("spate bench exec: error: \(error)\n")
                return ExitCode.failure
            }
        })
}

/// One line of `spate bench exec` figures.
enum BenchExecText {
    static func line(_ result: ExecBenchmark.Result) -> String {
        let rows = Double(result.rows)
        func rate(_ seconds: Double) -> String { seconds > 0 ? String(format: "%.2fM", rows / seconds / 1e6) : "-" }
        return String(
            format:
                "%d rows, map %.3f s (%@ rows/s), reduce %.3f s (%@ rows/s), both %@ rows/s, shuffle %.1f MB, %d windows%@",
            result.rows, result.mapSeconds, rate(result.mapSeconds), result.reduceSeconds,
            rate(result.reduceSeconds), rate(result.mapSeconds + result.reduceSeconds),
            Double(result.shuffleBytes) / 1e6, result.outputRows, result.exact ? " (exact)" : " (WRONG RESULTS)")
    }
}

/// CPU time the calling thread has used.
enum ThreadCPU {
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

import Query
import Synchronization

/// A job as its tasks need it: the compiled plan and the record decoder built from it once.
struct CompiledJob: Sendable {
    let sql: String
    let plan: JobPlan
    let decoder: RecordDecoder
}

/// Compiled jobs by job id. The driver ships each task's job as SQL; compiling it once per job
/// (and again only if the text changes) keeps the compiler off every task's path.
final class PlanCache: Sendable {
    private struct Entry {
        let job: CompiledJob
        var lastUseTick: UInt64
    }

    private struct Contents {
        var entries: [String: Entry] = [:]
        var tick: UInt64 = 0
    }

    private let contents = Mutex(Contents())
    /// Jobs kept; the least recently used goes first.
    let entriesMax: Int

    init(entriesMax: Int) {
        precondition(entriesMax >= 1, "the plan cache needs room for one job")
        self.entriesMax = entriesMax
    }

    /// The compiled form of `sql` for `jobId`, compiling it on first use.
    func job(_ jobId: String, sql: String) throws(TaskFailure) -> CompiledJob {
        if let cached = lookup(jobId, sql: sql) { return cached }
        let plan: JobPlan
        do throws(SQLError) {
            plan = try QueryCompiler.compile(sql, fileName: jobId)
        } catch {
            throw TaskFailure("job \(jobId) does not compile on this executor: \(error)")
        }
        let job = CompiledJob(
            sql: sql, plan: plan, decoder: RecordDecoder(source: plan.source, decodedColumns: plan.decodedColumns))
        contents.withLock { contents in
            contents.tick += 1
            contents.entries[jobId] = Entry(job: job, lastUseTick: contents.tick)
            while contents.entries.count > entriesMax {
                guard let oldest = contents.entries.min(by: { $0.value.lastUseTick < $1.value.lastUseTick }) else {
                    break
                }
                contents.entries[oldest.key] = nil
            }
        }
        return job
    }

    private func lookup(_ jobId: String, sql: String) -> CompiledJob? {
        contents.withLock { contents -> CompiledJob? in
            guard var entry = contents.entries[jobId], entry.job.sql == sql else { return nil }
            contents.tick += 1
            entry.lastUseTick = contents.tick
            contents.entries[jobId] = entry
            return entry.job
        }
    }

    /// Jobs compiled and kept.
    var count: Int { contents.withLock { $0.entries.count } }
}

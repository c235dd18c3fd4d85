import Query
import Wire

/// The JSON the CLI and the HTTP API return.
enum DriverJSON {
    /// `[{"id": ..., "state": ..., ...}]`, one summary per job.
    static func jobList(_ jobs: [JobSnapshot]) -> [UInt8] {
        JSONWriter.array { array in
            for job in jobs { array.appendObject { summary(job, into: &$0) } }
        }
    }

    /// One job in full: its summary, SQL, plan, the cluster's executors and recent progress.
    static func job(_ entry: DriverService.JobEntry, executors: [ExecutorSummary]) -> [UInt8] {
        let snapshot = entry.snapshot
        return JSONWriter.object { object in
            summary(snapshot, into: &object)
            object.field("sql", entry.sql)
            object.field("plan", entry.explain)
            object.array("executors") { array in
                for executor in executors { array.appendObject { self.executor(executor, into: &$0) } }
            }
            object.array("recentProgress") { array in
                for progress in snapshot.recentProgress { array.appendObject { progress.writeJSON(into: &$0) } }
            }
        }
    }

    /// Every registered executor.
    static func executors(_ executors: [ExecutorSummary]) -> [UInt8] {
        JSONWriter.array { array in
            for executor in executors { array.appendObject { self.executor(executor, into: &$0) } }
        }
    }

    static func summary(_ job: JobSnapshot, into object: inout JSONObjectWriter) {
        object.field("id", job.jobId)
        object.field("state", job.state.rawValue)
        if let failure = job.failure { object.field("failure", failure) } else { object.nullField("failure") }
        object.field("createdAt", TimestampCodec.formatISO8601(epochMs: job.createdAtMs))
        optional(&object, "lastBatchId", job.lastCommittedBatchId)
        optional(&object, "currentBatchId", job.currentBatchId)
        if let watermark = job.watermarkMs {
            object.field("watermark", TimestampCodec.formatISO8601(epochMs: watermark))
            object.field("watermarkMs", watermark)
        } else {
            object.nullField("watermark")
            object.nullField("watermarkMs")
        }
        object.field("batchesCommitted", job.batchesCommitted)
        object.field("inputRows", job.inputRows)
        object.field("outputRows", job.outputRows)
        object.field("deadLetters", job.deadLetters)
        if let last = job.recentProgress.last {
            object.object("lastProgress") { last.writeJSON(into: &$0) }
        } else {
            object.nullField("lastProgress")
        }
    }

    static func executor(_ executor: ExecutorSummary, into object: inout JSONObjectWriter) {
        object.field("id", executor.executorId)
        object.field("name", executor.name)
        object.field("slots", executor.slots)
        object.field("runningTasks", executor.runningTasks)
        object.field("completedTasks", executor.completedTasks)
        object.field("draining", executor.draining)
        object.field("heartbeatAgeMs", executor.heartbeatAgeMs)
        object.field("shuffleAddress", executor.shuffleAddress)
        object.field("pid", executor.pid)
    }

    private static func optional(_ object: inout JSONObjectWriter, _ key: String, _ value: Int64?) {
        if let value { object.field(key, value) } else { object.nullField(key) }
    }
}

import Foundation
import Query
import Synchronization
import Wire

extension JobRunner {
    /// How a commit ended.
    enum CommitResult: Sendable {
        /// Every output and `commits/N` are durable.
        case done
        /// The loop must end now, leaving the checkpoint as it is (crash injected, driver stopping).
        case abandoned
        /// A step kept failing: the job fails.
        case failed(String)
    }

    var isAggregation: Bool {
        if case .aggregate = plan.body { return true }
        return false
    }

    /// How submitting a batch went.
    enum Submitted {
        /// The cluster runs it.
        case running(BatchHandle, sinceMs: UInt64)
        /// An injected crash ends the loop before `offsets/N`.
        case crashed
        /// `offsets/N` could not be written.
        case unrecorded(String)
    }

    /// Runs the batch on the cluster, the one planned ahead if it is this one, and waits for it;
    /// nil when the loop must end without a decision (crash injected, driver stopping).
    func runBatch(_ context: inout BatchContext, writeOffsets: Bool, loop: inout Loop) -> JobDirective? {
        board.update { [batchId = context.entry.batchId] in $0.currentBatchId = batchId }
        let handle: BatchHandle
        let executing: UInt64
        if let ahead = loop.ahead, ahead.context.entry == context.entry {
            loop.ahead = nil
            context = ahead.context
            (handle, executing) = (ahead.handle, ahead.sinceMs)
        } else {
            switch submit(&context, writeOffsets: writeOffsets, after: nil) {
            case .running(let running, let sinceMs): (handle, executing) = (running, sinceMs)
            case .crashed: return nil
            case .unrecorded(let reason): return loop.instance.batchFailed(reason)
            }
        }
        guard lookAhead(past: context, handle, &loop) else { return nil }
        let outcome = handle.wait()
        context.executionMs = Int64(MonotonicClock.milliseconds() - executing)
        switch outcome {
        case .succeeded(let results):
            context.results = results
            return loop.instance.batchSucceeded(summary(results), nowMs: environment.wallClockMs())
        case .failed(let reason):
            return loop.instance.batchFailed("batch \(context.entry.batchId) failed: \(reason)")
        case .cancelled:
            return nil
        }
    }

    /// Makes `offsets/N` durable (for a new batch) and hands the batch to the cluster.
    func submit(_ context: inout BatchContext, writeOffsets: Bool, after: Int64?) -> Submitted {
        let entry = context.entry
        if writeOffsets {
            if environment.crashBefore?(.offsets, entry.batchId) == true { return .crashed }
            let started = MonotonicClock.milliseconds()
            do {
                try environment.checkpoint.writeOffsets(entry)
            } catch {
                return .unrecorded("cannot write offsets/\(entry.batchId): \(error)")
            }
            context.walCommitMs = Int64(MonotonicClock.milliseconds() - started)
        }
        let planned = MonotonicClock.milliseconds()
        let request = BatchRequest(
            jobId: jobId, jobSQL: sql, offsets: entry, reducePartitions: isAggregation ? plan.shufflePartitions : nil,
            snapshotWanted: (entry.batchId + 1) % environment.snapshotEveryBatches == 0, after: after)
        let executing = MonotonicClock.milliseconds()
        context.planningMs = Int64(executing - planned)
        return .running(environment.runner.submit(request), sinceMs: executing)
    }

    /// Over a backlog, once the running batch's map stage is done (its event times give the next
    /// watermark), plans, records and submits the next batch, whose map stage then takes the slots
    /// the reduce stage leaves idle; its reduce stage waits for this batch (the scheduler's `after`).
    /// Anything in the way (a stop, a commit not yet done, no new data) just skips it. False when
    /// an injected crash ends the loop.
    private func lookAhead(past running: BatchContext, _ handle: BatchHandle, _ loop: inout Loop) -> Bool {
        guard isAggregation, environment.plansAhead, overlapsNextBatch(running), !stopping else { return true }
        guard case .done(let maps) = handle.waitForMaps() else { return true }
        // Recovery replays at most two uncommitted batches, so the previous commit ends first.
        if let pending = loop.pending {
            guard case .done = pending.wait(), case .clear = settle(&loop) else { return true }
        }
        let fetchStarted = MonotonicClock.milliseconds()
        guard !stopping, let offsets = try? environment.broker.partitionOffsets(topic: settings.topic),
            let next = loop.instance.planAhead(
                offsets, maxEventTimeMs: maps.compactMap(\.maxEventTimeMs).max(), nowMs: environment.wallClockMs())
        else { return true }
        var context = BatchContext(
            entry: next, latest: Dictionary(uniqueKeysWithValues: offsets.map { ($0.partition, $0.latest) }))
        context.latestOffsetMs = Int64(MonotonicClock.milliseconds() - fetchStarted)
        switch submit(&context, writeOffsets: true, after: running.entry.batchId) {
        case .running(let aheadHandle, let sinceMs):
            loop.ahead = AheadBatch(context: context, handle: aheadHandle, sinceMs: sinceMs)
            return true
        case .crashed:
            environment.runner.cancel(jobId: jobId)
            return false
        case .unrecorded(let reason):
            environment.log("job \(jobId): \(reason); batch \(next.batchId) is planned after this one commits")
            loop.instance.dropAhead()
            return true
        }
    }

    /// A stop or shutdown was asked for.
    private var stopping: Bool { control.withLock { $0.stopRequested || $0.shuttingDown } }

    func summary(_ results: BatchResults) -> BatchSummary {
        BatchSummary(
            maxEventTimeMs: results.maps.compactMap(\.maxEventTimeMs).max(),
            inputRecords: results.maps.reduce(0) { $0 + $1.inputRecords },
            outputRows: Int64(sinkRows(results).reduce(0) { $0 + $1.rowCount }),
            deadLetters: Int64(results.maps.reduce(0) { $0 + $1.deadLetters.count }))
    }

    /// The sink's rows: the reduce tasks' for an aggregation, the map tasks' for a stateless job.
    func sinkRows(_ results: BatchResults) -> [RecordBatch] {
        isAggregation ? results.reduces.map(\.rows) : results.maps.compactMap(\.rows)
    }

    /// Runs the commit steps: state, sink and dead letters, then `commits/N` once all three are
    /// durable. Each is idempotent, so a failing one is retried, and a replay after a crash anywhere
    /// here is harmless. The first three do not depend on each other, so they run at once: each
    /// waits on its own fsync or broker acknowledgement (about 11, 7 and 9 ms a batch, measured),
    /// and the batch's commit is on the critical path of the next.
    func commitBatch(_ entry: OffsetEntry, _ results: BatchResults, _ commit: CommitEntry) -> CommitResult {
        let batchId = entry.batchId
        let writes = results.reduces.enumerated().map { partition, report in
            StateWrite(
                partition: Int32(partition), version: batchId, delta: report.stateDelta, snapshot: report.stateSnapshot)
        }
        let outputs: [(CommitStep, @Sendable () throws -> Void)] = [
            (.state, { if !writes.isEmpty { try self.environment.checkpoint.writeState(writes) } }),
            (.sink, { try self.environment.sink.write(batchId: batchId, rows: self.sinkRows(results)) }),
            (
                .deadLetters,
                {
                    try self.environment.deadLetters.write(
                        batchId: batchId, letters: results.maps.flatMap(\.deadLetters))
                }
            ),
        ]
        // An injected crash keeps its meaning: the steps before it in this order happened, it did not.
        if let crash = outputs.firstIndex(where: { environment.crashBefore?($0.0, batchId) == true }) {
            for (step, body) in outputs[..<crash] {
                let result = run(step, batchId, body)
                guard case .done = result else { return result }
            }
            return .abandoned
        }
        let ended = concurrently(outputs.map { step, body in { self.run(step, batchId, body) } })
        if let unfinished = ended.first(where: { if case .done = $0 { false } else { true } }) { return unfinished }
        return run(.commit, batchId) { try self.environment.checkpoint.writeCommit(commit) }
    }

    /// Runs each body on a thread of its own (the first on the calling one) and returns their
    /// results in order.
    private func concurrently(_ bodies: [@Sendable () -> CommitResult]) -> [CommitResult] {
        guard let first = bodies.first else { return [] }
        let results = Mutex([CommitResult?](repeating: nil, count: bodies.count))
        let done = DispatchGroup()
        for (index, body) in bodies.enumerated().dropFirst() {
            done.enter()
            Thread {
                let result = body()
                results.withLock { $0[index] = result }
                done.leave()
            }.start()
        }
        let firstResult = first()
        done.wait()
        return results.withLock { stored in
            [firstResult] + stored.dropFirst().map { $0 ?? .failed("a commit step ended without a result") }
        }
    }

    /// One commit step with retries.
    private func run(_ step: CommitStep, _ batchId: Int64, _ body: () throws -> Void) -> CommitResult {
        if environment.crashBefore?(step, batchId) == true { return .abandoned }
        var attempt = 1
        while true {
            do {
                try body()
                return .done
            } catch {
                if control.withLock({ $0.shuttingDown }) { return .abandoned }
                guard attempt < environment.commitAttemptsMax else {
                    return .failed("committing batch \(batchId) failed at the \(step.rawValue) step: \(error)")
                }
                environment.log("job \(jobId): \(step.rawValue) step of batch \(batchId) failed (\(error)); retrying")
                usleep(useconds_t(environment.commitRetryMs * 1000))
                attempt += 1
            }
        }
    }

    /// Deletes checkpoint files no restart needs, every few batches; failures only get logged.
    func cleanUpIfDue(_ batchId: Int64) {
        guard (batchId + 1) % environment.cleanupEveryBatches == 0 else { return }
        do {
            try environment.checkpoint.cleanUp(committedBatchId: batchId, retainedBatches: environment.retainedBatches)
        } catch {
            environment.log("job \(jobId): checkpoint cleanup failed: \(error)")
        }
    }
}

import Testing

@testable import Scheduler

/// `BatchSpec.after`: a batch's shuffle-reading stages wait for the batch it names while that is in
/// flight, its map stages do not, and the named batch's failure fails it.
@Suite struct BatchGatingTests {
    static func key(_ batchId: Int64, job: String = "j") -> BatchKey { BatchKey(job: job, batchId: batchId) }

    /// Map-reduce batch `batchId` of job `j` with one map and one reduce task unless told otherwise.
    static func mapReduce(_ batchId: Int64, maps: Int = 1, reduces: Int = 1, after: Int64? = nil) -> BatchSpec {
        .mapReduce(job: "j", batchId: batchId, mapPartitions: maps, reducePartitions: reduces, after: after)
    }

    @Test func mapsRunWhileThePredecessorReducesAndReducesStartInTheEventItSucceeds() throws {
        var harness = Harness()
        try harness.register("a", slots: 4)
        let maps0 = try harness.submit(Self.mapReduce(0, maps: 2, reduces: 2)).launches
        let reduces0 = harness.succeedAll(maps0).launches
        #expect(reduces0.map(\.task.stage) == [1, 1])

        let maps1 = try harness.submit(Self.mapReduce(1, maps: 2, reduces: 2, after: 0)).launches
        #expect(maps1.map(\.task) == [0, 1].map { TaskKey(batch: Self.key(1), stage: 0, partition: $0) })
        #expect(harness.succeedAll(maps1).launches.isEmpty, "batch 1 reduced while batch 0 is in flight")
        #expect(harness.scheduler.batchStatuses.last?.gatedBy == Self.key(0))
        #expect(harness.scheduler.batchStatuses.last?.stages[1].waiting == 2)

        #expect(harness.succeed(reduces0[0]).launches.isEmpty)
        let last = harness.succeed(reduces0[1])
        #expect(last.succeededBatches == [Self.key(0)])
        let reduces1 = last.launches
        #expect(reduces1.map(\.task) == [0, 1].map { TaskKey(batch: Self.key(1), stage: 1, partition: $0) })
        #expect(reduces1.allSatisfy { $0.inputs.map(\.stage) == [0] })
        let successIndex = try #require(last.firstIndex(of: .batchSucceeded(Self.key(0))))
        let firstLaunch = try #require(last.firstIndex(of: .launch(reduces1[0])))
        #expect(successIndex < firstLaunch, "the gate opened before the predecessor had succeeded")
        #expect(harness.scheduler.batchStatuses.first?.gatedBy == nil)

        #expect(harness.succeedAll(reduces1).succeededBatches == [Self.key(1)])
        #expect(harness.scheduler.isIdle)
    }

    /// The locality wait of a gated reduce task starts when the gate opens, not when its maps finished.
    @Test func localityWaitStartsWhenTheGateOpens() throws {
        var harness = Harness(SchedulerConfig(localityWaitMs: 100))
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 2)
        let blocker = try #require(
            try harness.submit(singleStage("other", partitions: 1, preferred: [0: "a"])).launches.first)
        #expect(blocker.executorId == "a")
        let only0 = try #require(try harness.submit(singleStage("j", batchId: 0, partitions: 1)).launches.first)
        let spec1 = BatchSpec.mapReduce(
            job: "j", batchId: 1, mapPartitions: 1, reducePartitions: 1, preferredReduceExecutors: [0: "a"], after: 0)
        let map1 = try #require(try harness.submit(spec1).launches.first)
        #expect([only0.executorId, map1.executorId] == ["b", "b"])
        #expect(harness.succeed(map1).launches.isEmpty)

        // Long after the maps finished, the predecessor ends; "a" is still busy, "b" free.
        harness.nowMs += 500
        let opened = harness.succeed(only0)
        #expect(opened.succeededBatches == [Self.key(0)] && opened.launches.isEmpty)
        #expect(harness.scheduler.nextDeadlineMs == harness.nowMs + 100)
        #expect(harness.tick(advanceMs: 99).launches.isEmpty)
        let reduce = try #require(harness.tick(advanceMs: 1).launches.first)
        #expect(reduce.task == TaskKey(batch: Self.key(1), stage: 1, partition: 0) && reduce.executorId == "b")
    }

    /// FIFO over batches: a slot freed goes to the predecessor's waiting reduce task, not the
    /// successor's map task submitted later.
    @Test func predecessorsReduceTakesAFreeSlotBeforeTheSuccessorsMap() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        let map0 = try #require(try harness.submit(Self.mapReduce(0)).launches.first)
        #expect(try harness.submit(Self.mapReduce(1, after: 0)).launches.isEmpty)

        let reduce0 = try #require(harness.succeed(map0).launches.first)
        #expect(reduce0.task == TaskKey(batch: Self.key(0), stage: 1, partition: 0))
        let afterReduce = harness.succeed(reduce0)
        #expect(afterReduce.succeededBatches == [Self.key(0)])
        let map1 = try #require(afterReduce.launches.first)
        #expect(map1.task == TaskKey(batch: Self.key(1), stage: 0, partition: 0))
        let reduce1 = try #require(harness.succeed(map1).launches.first)
        #expect(reduce1.task == TaskKey(batch: Self.key(1), stage: 1, partition: 0))
        #expect(harness.succeed(reduce1).succeededBatches == [Self.key(1)])
        #expect(harness.scheduler.isIdle)
    }

    /// A chain 0 <- 1 <- 2 fails together, in that order, once each; a batch of the job not waiting
    /// for any of them and another job's batch carry on.
    @Test func predecessorFailureFailsItsSuccessorsTransitively() throws {
        var harness = Harness(SchedulerConfig(attemptsMax: 1))
        try harness.register("a", slots: 8)
        let map0 = try #require(try harness.submit(Self.mapReduce(0)).launches.first)
        let map1 = try #require(try harness.submit(Self.mapReduce(1, after: 0)).launches.first)
        let map2 = try #require(try harness.submit(Self.mapReduce(2, after: 1)).launches.first)
        let free = try #require(try harness.submit(Self.mapReduce(3)).launches.first)
        let other = try #require(try harness.submit(singleStage("other", partitions: 1)).launches.first)
        #expect(harness.succeed(map1).launches.isEmpty)

        let directives = harness.fail(map0, "disk full")
        let failures = directives.compactMap { directive -> BatchKey? in
            if case .batchFailed(let key, _) = directive { return key }
            return nil
        }
        #expect(failures == [Self.key(0), Self.key(1), Self.key(2)])
        let reasons = directives.failedBatches
        #expect(reasons[Self.key(0)] == .taskFailed(task: map0.task, attempts: 1, error: "disk full"))
        #expect(reasons[Self.key(1)] == .predecessorFailed(Self.key(0)))
        #expect(reasons[Self.key(2)] == .predecessorFailed(Self.key(1)))
        #expect(directives.cancelledAttempts == [map2.attemptId])
        #expect(harness.scheduler.stats.batchesFailed == 3)
        #expect(harness.scheduler.batchKeysInFlight == [Self.key(3), Self.key(0, job: "other")])
        #expect(harness.succeed(other).succeededBatches == [Self.key(0, job: "other")])
        let reduce3 = try #require(harness.succeed(free).launches.first)
        #expect(harness.succeed(reduce3).succeededBatches == [Self.key(3)])
        #expect(harness.scheduler.isIdle)
    }

    /// Naming a batch that has already ended (succeeded, failed, or never ran here) waits for nothing.
    @Test func afterABatchNotInFlightGatesNothing() throws {
        var harness = Harness(SchedulerConfig(attemptsMax: 1))
        try harness.register("a", slots: 4)
        let done = try #require(try harness.submit(singleStage("j", batchId: 0, partitions: 1)).launches.first)
        #expect(harness.succeed(done).succeededBatches == [Self.key(0)])
        let failing = try #require(try harness.submit(singleStage("j", batchId: 1, partitions: 1)).launches.first)
        #expect(harness.fail(failing).failedBatches.keys.sorted() == [Self.key(1)])

        for (batchId, after) in [(2, 0), (3, 1), (7, 5)] as [(Int64, Int64)] {
            let map = try #require(try harness.submit(Self.mapReduce(batchId, after: after)).launches.first)
            #expect(harness.scheduler.batchStatuses.last?.gatedBy == nil)
            let reduce = try #require(harness.succeed(map).launches.first, "batch \(batchId) after \(after) waited")
            #expect(harness.succeed(reduce).succeededBatches == [Self.key(batchId)])
        }
        #expect(harness.scheduler.isIdle)
    }

    @Test func afterNotBelowTheBatchIdIsRefusedAndChangesNothing() throws {
        var scheduler = TaskScheduler()
        _ = try scheduler.registerExecutor("a", slots: 1, nowMs: 0)
        for after: Int64 in [5, 6, .max] {
            #expect(throws: SchedulerError.invalidPredecessor(Self.key(5), after: after)) {
                try scheduler.submitBatch(Self.mapReduce(5, after: after), nowMs: 0)
            }
        }
        #expect(scheduler.batchKeysInFlight.isEmpty && scheduler.runningAttemptCount == 0)
        #expect(scheduler.stats == SchedulerStats())
        #expect(try scheduler.submitBatch(Self.mapReduce(5, after: 4), nowMs: 0).launches.count == 1)
        #expect(try scheduler.submitBatch(Self.mapReduce(6, after: -1), nowMs: 0).isEmpty)
    }

    @Test func cancelJobDropsPredecessorAndSuccessorWithoutBatchDirectives() throws {
        var harness = Harness()
        try harness.register("a", slots: 4)
        let map0 = try #require(try harness.submit(Self.mapReduce(0)).launches.first)
        let reduce0 = try #require(harness.succeed(map0).launches.first)
        let map1 = try #require(try harness.submit(Self.mapReduce(1, after: 0)).launches.first)
        let directives = harness.cancel("j")
        #expect(directives.cancelledAttempts.sorted() == [reduce0.attemptId, map1.attemptId].sorted())
        #expect(directives.count == 2, "\(directives)")
        #expect(harness.scheduler.stats.batchesCancelled == 2 && harness.scheduler.stats.batchesFailed == 0)
        #expect(harness.scheduler.isIdle)
    }

    @Test func newReasonsDescribeThemselves() {
        let refused = SchedulerError.invalidPredecessor(Self.key(5), after: 7).description
        #expect(refused.contains("j/5") && refused.contains("7"))
        #expect(BatchFailureReason.predecessorFailed(Self.key(4)).description.hasPrefix("batch j/4 failed before it"))
    }
}

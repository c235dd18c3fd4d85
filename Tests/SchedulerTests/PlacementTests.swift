import Testing

@testable import Scheduler

/// Placement rules: free slots only, FIFO over batches, least loaded first, locality with a bounded wait.
@Suite struct PlacementTests {
    @Test func tasksWaitForFreeSlotsAndBatchSucceedsOnce() throws {
        var harness = Harness()
        try harness.register("a", slots: 2)
        let first = try harness.submit(singleStage(partitions: 3)).launches
        #expect(first.map(\.task.partition) == [0, 1])
        #expect(first.allSatisfy { $0.executorId == "a" && $0.attemptNumber == 0 && $0.inputs.isEmpty })
        let third = harness.succeed(first[0])
        #expect(third.acceptedAttempts == [first[0].attemptId])
        #expect(third.launches.map(\.task.partition) == [2])
        #expect(harness.succeed(first[1]).succeededBatches == [])
        let last = harness.succeed(third.launches[0])
        #expect(last.succeededBatches == [BatchKey(job: "job", batchId: 0)])
        #expect(harness.scheduler.isIdle)
        #expect(harness.scheduler.executorStatuses.map(\.runningAttempts) == [0])
        #expect(harness.scheduler.stats.batchesSucceeded == 1)
    }

    @Test func attemptIdsAreUniqueAndStartWhereTheDriverSays() throws {
        var scheduler = TaskScheduler(firstAttemptId: 5000)
        _ = try scheduler.registerExecutor("a", slots: 4, nowMs: 0)
        let launches = try scheduler.submitBatch(singleStage(partitions: 4), nowMs: 0).launches
        #expect(launches.map(\.attemptId) == [5000, 5001, 5002, 5003])
    }

    @Test func noExecutorsMeansTasksWaitUntilOneRegisters() throws {
        var harness = Harness()
        #expect(try harness.submit(singleStage(partitions: 2)) == [])
        #expect(harness.tick(advanceMs: 60_000) == [])
        #expect(harness.scheduler.batchStatuses.first?.stages.first?.waiting == 2)
        let launches = try harness.register("late", slots: 4).launches
        #expect(launches.map(\.executorId) == ["late", "late"])
    }

    @Test func spreadsOverTheLeastLoadedExecutor() throws {
        var harness = Harness()
        try harness.register("a", slots: 4)
        try harness.register("b", slots: 4)
        try harness.register("c", slots: 2)
        let launches = try harness.submit(singleStage(partitions: 6)).launches
        // Lowest share of busy slots first, then most free slots, then registration order:
        // a (0/4, 4 free), b (0/4), c (0/2), a (1/4, 3 free beats b by order), b, a (2/4 = b = c, most free).
        #expect(launches.partitionsByExecutor == ["a": [0, 3, 5], "b": [1, 4], "c": [2]])
    }

    @Test func fillsProportionallyToSlots() throws {
        var harness = Harness()
        try harness.register("big", slots: 4)
        try harness.register("small", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 5)).launches
        #expect(launches.partitionsByExecutor.mapValues(\.count) == ["big": 4, "small": 1])
    }

    @Test func batchesAreServedFirstInFirstOut() throws {
        var harness = Harness()
        #expect(try harness.submit(singleStage("late", batchId: 7, partitions: 2)) == [])
        #expect(try harness.submit(singleStage("early", batchId: 1, partitions: 2)) == [])
        let launches = try harness.register("a", slots: 3).launches
        #expect(launches.map(\.task.job) == ["late", "late", "early"])
        let next = harness.succeed(launches[0]).launches
        #expect(next.map(\.task.description) == ["early/1/0/1"])
    }

    @Test func drainingExecutorGetsNoNewTasks() throws {
        var harness = Harness()
        try harness.register("a", slots: 2)
        try harness.register("b", slots: 2)
        harness.drain("a")
        let launches = try harness.submit(singleStage(partitions: 3)).launches
        #expect(launches.map(\.executorId) == ["b", "b"])
    }

    @Test func preferredExecutorIsUsedWhenFree() throws {
        var harness = Harness()
        try harness.register("a", slots: 2)
        try harness.register("b", slots: 2)
        let launches = try harness.submit(singleStage(partitions: 2, preferred: [0: "b", 1: "b"])).launches
        #expect(launches.map(\.executorId) == ["b", "b"])
    }

    @Test func busyPreferredExecutorIsAwaitedForTheLocalityWaitOnly() throws {
        var harness = Harness(SchedulerConfig(localityWaitMs: 50))
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let blocker = try harness.submit(singleStage("other", partitions: 1, preferred: [0: "b"])).launches
        #expect(blocker.map(\.executorId) == ["b"])
        #expect(try harness.submit(singleStage(partitions: 1, preferred: [0: "b"])).launches == [])
        #expect(harness.scheduler.nextDeadlineMs == harness.nowMs + 50)
        #expect(harness.tick(advanceMs: 49).launches == [])
        let moved = harness.tick(advanceMs: 1).launches
        #expect(moved.map(\.executorId) == ["a"])
    }

    @Test func preferenceFreedInTimeWins() throws {
        var harness = Harness(SchedulerConfig(localityWaitMs: 50))
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let blocker = try harness.submit(singleStage("other", partitions: 1, preferred: [0: "b"])).launches
        #expect(try harness.submit(singleStage(partitions: 1, preferred: [0: "b"])).launches == [])
        harness.nowMs += 20
        let next = harness.succeed(blocker[0]).launches
        #expect(next.map(\.executorId) == ["b"])
    }

    @Test func preferenceForDeadOrDrainingExecutorIsNotAwaited() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        harness.drain("b")
        let launches = try harness.submit(singleStage(partitions: 2, preferred: [0: "b", 1: "ghost"])).launches
        #expect(launches.map(\.executorId) == ["a"])
        #expect(harness.scheduler.nextDeadlineMs == harness.nowMs + 5000)
    }

    @Test func reduceTaskReturnsToWhereItLastSucceeded() throws {
        var harness = Harness()
        for id in ["a", "b", "c"] { try harness.register(id, slots: 2) }
        let first = try harness.submit(singleStage(batchId: 0, partitions: 3)).launches
        let placed = Dictionary(uniqueKeysWithValues: first.map { ($0.task.partition, $0.executorId) })
        #expect(harness.succeedAll(first).succeededBatches.count == 1)
        // Load the cluster differently; the remembered placement must still win.
        let second = try harness.submit(singleStage(batchId: 1, partitions: 3)).launches
        #expect(Dictionary(uniqueKeysWithValues: second.map { ($0.task.partition, $0.executorId) }) == placed)
    }

    @Test func anExecutorThatJoinsGetsMapTasksWhileReducesStayWithTheirState() throws {
        var harness = Harness()
        try harness.register("a")
        try harness.register("b")
        let first = Self.runToEnd(
            &harness, try harness.submit(.mapReduce(job: "j", batchId: 0, mapPartitions: 3, reducePartitions: 2)))
        try harness.register("c")
        let second = Self.runToEnd(
            &harness, try harness.submit(.mapReduce(job: "j", batchId: 1, mapPartitions: 3, reducePartitions: 2)))
        #expect(second.filter { $0.task.stage == 0 }.map(\.executorId).sorted() == ["a", "b", "c"])
        let reduces = { (launches: [TaskLaunch]) in
            launches.filter { $0.task.stage == 1 }.map { [$0.task.partition: $0.executorId] }
        }
        #expect(reduces(second) == reduces(first))
    }

    /// Every launch until no task is left, each succeeding.
    private static func runToEnd(_ harness: inout Harness, _ directives: [SchedulerDirective]) -> [TaskLaunch] {
        var all: [TaskLaunch] = []
        var pending = directives.launches
        while !pending.isEmpty {
            all += pending
            pending = harness.succeedAll(pending).launches
        }
        return all
    }

    @Test func specPreferenceOverridesMemoryAndCancelForgetsIt() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let first = try harness.submit(singleStage(batchId: 0, partitions: 1)).launches
        #expect(first.map(\.executorId) == ["a"])
        harness.succeedAll(first)
        let second = try harness.submit(singleStage(batchId: 1, partitions: 1, preferred: [0: "b"])).launches
        #expect(second.map(\.executorId) == ["b"])
        harness.succeedAll(second)
        harness.cancel("job")
        try harness.register("c", slots: 4)
        // Forgotten: "c" is least loaded... all idle, so ties go by share, free slots, then order.
        let third = try harness.submit(singleStage(batchId: 2, partitions: 1)).launches
        #expect(third.map(\.executorId) == ["c"])
    }
}

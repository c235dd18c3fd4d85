import Testing

@testable import Scheduler

/// Stages: reduce waits for every map output, lost output is recomputed, fetch failures, the
/// resubmission bound, and DAGs deeper than two stages.
@Suite struct ShuffleTests {
    static let pinnedMapReduce = BatchSpec(
        job: "j", batchId: 0,
        stages: [
            StageSpec(partitionCount: 2, preferredExecutors: [0: "a", 1: "b"]),
            StageSpec(partitionCount: 2, parents: [0], preferredExecutors: [0: "a", 1: "b"]),
        ])

    /// Registers a and b (one slot each), runs the pinned map stage and returns the reduce launches.
    static func mapsDone(_ harness: inout Harness) throws -> (maps: [TaskLaunch], reduces: [TaskLaunch]) {
        try harness.register("a")
        try harness.register("b")
        let maps = try harness.submit(pinnedMapReduce).launches
        #expect(maps.map(\.executorId) == ["a", "b"])
        #expect(harness.succeed(maps[0]).launches == [])
        let reduces = harness.succeed(maps[1]).launches
        #expect(reduces.map(\.executorId) == ["a", "b"])
        return (maps, reduces)
    }

    @Test func reduceStartsOnlyWhenEveryMapIsDoneAndKnowsWhereTheyAre() throws {
        var harness = Harness()
        let (maps, reduces) = try Self.mapsDone(&harness)
        let expected = maps.map { MapOutputLocation(executorId: $0.executorId, attemptId: $0.attemptId) }
        #expect(
            reduces.map(\.inputs) == [
                [ShuffleInput(stage: 0, mapOutputs: expected)],
                [
                    ShuffleInput(stage: 0, mapOutputs: expected)
                ],
            ])
        #expect(harness.succeed(reduces[0]).succeededBatches == [])
        #expect(harness.succeed(reduces[1]).succeededBatches == [BatchKey(job: "j", batchId: 0)])
        #expect(harness.scheduler.isIdle)
    }

    @Test func stageWithSeveralParentsGetsEachParentsOutputs() throws {
        var harness = Harness()
        try harness.register("a", slots: 4)
        let spec = BatchSpec(
            job: "j", batchId: 0,
            stages: [
                StageSpec(partitionCount: 2), StageSpec(partitionCount: 1),
                StageSpec(partitionCount: 1, parents: [1, 0]),
            ])
        let first = try harness.submit(spec).launches
        #expect(first.map(\.task.stage) == [0, 0, 1])
        let join = harness.succeedAll(first).launches
        #expect(join.map(\.inputs.count) == [2])
        #expect(join[0].inputs.map(\.stage) == [1, 0])
        #expect(join[0].inputs.map(\.mapOutputs.count) == [1, 2])
        #expect(join[0].inputs[1].mapOutputs.map(\.attemptId) == first.prefix(2).map(\.attemptId))
        #expect(harness.succeed(join[0]).succeededBatches.count == 1)
    }

    @Test func lostExecutorsOutputIsRecomputedBeforeTheReduceRuns() throws {
        var harness = Harness()
        let (_, reduces) = try Self.mapsDone(&harness)
        let afterLoss = harness.lose("a")
        #expect(afterLoss.lostExecutors == ["a"])
        // b is busy with its reduce; map 0 waits for it, reduce 0 waits for map 0.
        #expect(afterLoss.launches == [])
        let rerun = harness.succeed(reduces[1]).launches
        #expect(rerun.map(\.task) == [TaskKey(batch: BatchKey(job: "j", batchId: 0), stage: 0, partition: 0)])
        #expect(rerun.map(\.executorId) == ["b"])
        let reduce = harness.succeed(rerun[0]).launches
        #expect(reduce.map(\.task.partition) == [0])
        #expect(reduce[0].inputs[0].mapOutputs.map(\.executorId) == ["b", "b"])
        #expect(harness.succeed(reduce[0]).succeededBatches.count == 1)
        let stats = harness.scheduler.stats
        #expect(stats.mapOutputsLost == 1 && stats.stageResubmissions == 1 && stats.failuresCounted == 0)
    }

    @Test func fetchFailureRecomputesThatOutputElsewhereWithoutBlame() throws {
        var harness = Harness()
        let (maps, reduces) = try Self.mapsDone(&harness)
        let location = reduces[1].inputs[0].mapOutputs[0]
        let failed = harness.fail(
            reduces[1], "fetch", fetch: FetchFailure(stage: 0, mapPartition: 0, location: location))
        #expect(failed.launches.map(\.task.stage) == [0])
        #expect(failed.launches.map(\.executorId) == ["b"])
        #expect(failed.launches[0].attemptNumber == 1 && failed.launches[0].task == maps[0].task)
        #expect(harness.succeed(reduces[0]).succeededBatches == [])
        let retry = harness.succeed(failed.launches[0]).launches
        #expect(retry.map(\.task) == [reduces[1].task])
        #expect(retry[0].inputs[0].mapOutputs[0].attemptId == failed.launches[0].attemptId)
        #expect(harness.succeed(retry[0]).succeededBatches.count == 1)
        let stats = harness.scheduler.stats
        #expect(stats.fetchFailures == 1 && stats.failuresCounted == 0 && stats.mapOutputsLost == 1)
    }

    @Test func fetchFailureForOutputAlreadyRecomputedLosesNothing() throws {
        var harness = Harness()
        let (_, reduces) = try Self.mapsDone(&harness)
        let old = reduces[0].inputs[0].mapOutputs[0]
        let first = harness.fail(reduces[1], fetch: FetchFailure(stage: 0, mapPartition: 0, location: old))
        let rerun = try #require(first.launches.first)
        harness.succeed(rerun)
        // reduce 0 was launched before the rerun and reports the old location: only it retries.
        let second = harness.fail(reduces[0], fetch: FetchFailure(stage: 0, mapPartition: 0, location: old))
        #expect(second.launches.map(\.task.stage) == [1])
        #expect(harness.scheduler.stats.mapOutputsLost == 1)
        #expect(harness.scheduler.stats.fetchFailures == 2)
    }

    @Test func fetchFailureNamingNoParentCountsAsAnOrdinaryFailure() throws {
        var harness = Harness()
        let (_, reduces) = try Self.mapsDone(&harness)
        let bogus = FetchFailure(stage: 1, mapPartition: 0, location: reduces[0].inputs[0].mapOutputs[0])
        harness.fail(reduces[0], fetch: bogus)
        let outOfRange = FetchFailure(stage: 0, mapPartition: 9, location: reduces[1].inputs[0].mapOutputs[0])
        harness.fail(reduces[1], fetch: outOfRange)
        #expect(harness.scheduler.stats.failuresCounted == 2)
        #expect(harness.scheduler.stats.fetchFailures == 0 && harness.scheduler.stats.mapOutputsLost == 0)
    }

    @Test func endlessOutputLossEndsInBatchFailed() throws {
        var harness = Harness(SchedulerConfig(stageResubmissionsPerBatchMax: 2))
        try harness.register("solo", slots: 2)
        let maps = try harness.submit(.mapReduce(job: "j", batchId: 0, mapPartitions: 1, reducePartitions: 2)).launches
        var reduces = harness.succeedAll(maps).launches
        #expect(reduces.count == 2)
        var last: [SchedulerDirective] = []
        for round in 1...3 {
            let location = reduces[1].inputs[0].mapOutputs[0]
            last = harness.fail(reduces[1], fetch: FetchFailure(stage: 0, mapPartition: 0, location: location))
            if round < 3 {
                // The only executor is avoided only while another exists: the rerun lands there again.
                let rerun = try #require(last.launches.first)
                #expect(rerun.task == maps[0].task && rerun.executorId == "solo")
                reduces[1] = try #require(harness.succeed(rerun).launches.first)
            }
        }
        #expect(last.failedBatches.values.first == .stageResubmissionsExhausted(resubmissions: 3))
        #expect(last.cancelledAttempts == [reduces[0].attemptId])
        #expect(harness.scheduler.isIdle)
    }

    @Test func batchSucceedsWhileAMapRerunIsStillGoingAndCancelsIt() throws {
        var harness = Harness()
        for id in ["a", "b", "c"] { try harness.register(id) }
        let spec = BatchSpec(
            job: "j", batchId: 0,
            stages: [
                StageSpec(partitionCount: 2, preferredExecutors: [0: "a", 1: "b"]),
                StageSpec(partitionCount: 1, parents: [0], preferredExecutors: [0: "c"]),
            ])
        let maps = try harness.submit(spec).launches
        let reduce = try #require(harness.succeedAll(maps).launches.first)
        #expect(reduce.executorId == "c")
        let rerun = try #require(harness.lose("a").launches.first)
        #expect(rerun.task == maps[0].task && rerun.executorId == "b")
        // The reduce had already read map 0 before a died.
        let last = harness.succeed(reduce)
        #expect(last.cancelledAttempts == [rerun.attemptId])
        #expect(last.succeededBatches.count == 1)
        #expect(harness.succeed(rerun) == [])
        #expect(harness.scheduler.isIdle)
    }

    @Test func lostOutputOfAStageNoLongerReadIsNotRecomputed() throws {
        var harness = Harness()
        try harness.register("a")
        try harness.register("b")
        let spec = BatchSpec(
            job: "j", batchId: 0,
            stages: [
                StageSpec(partitionCount: 1, preferredExecutors: [0: "a"]),
                StageSpec(partitionCount: 1, parents: [0], preferredExecutors: [0: "b"]),
                StageSpec(partitionCount: 1, parents: [1], preferredExecutors: [0: "b"]),
            ])
        let first = try harness.submit(spec).launches
        let second = harness.succeedAll(first).launches
        let third = harness.succeedAll(second).launches
        #expect(third.map(\.task.stage) == [2])
        #expect(harness.lose("a").launches == [])
        #expect(harness.scheduler.stats.stageResubmissions == 0)
        #expect(harness.succeedAll(third).succeededBatches.count == 1)
    }

    @Test func lossCascadesUpTheStagesThatAreNeededAgain() throws {
        var harness = Harness()
        try harness.register("a")
        let spec = BatchSpec(
            job: "j", batchId: 0,
            stages: [
                StageSpec(partitionCount: 1), StageSpec(partitionCount: 1, parents: [0]),
                StageSpec(partitionCount: 1, parents: [1]),
            ])
        var launches = try harness.submit(spec).launches
        launches = harness.succeedAll(launches).launches
        launches = harness.succeedAll(launches).launches
        #expect(launches.map(\.task.stage) == [2])
        try harness.register("b")
        let afterLoss = harness.lose("a")
        // Stage 2 ran on a; stage 1's output was on a and stage 0's too: both are needed again.
        #expect(afterLoss.launches.map(\.task.stage) == [0])
        #expect(harness.scheduler.stats.stageResubmissions == 2)
        launches = afterLoss.launches
        for stage in 1...2 {
            launches = harness.succeedAll(launches).launches
            #expect(launches.map(\.task.stage) == [stage])
        }
        #expect(harness.succeedAll(launches).succeededBatches.count == 1)
    }
}

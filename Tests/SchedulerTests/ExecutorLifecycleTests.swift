import Testing

@testable import Scheduler

/// Executors: heartbeat timeouts, unknown executors, draining and release, registration errors.
@Suite struct ExecutorLifecycleTests {
    @Test func silentExecutorIsLostAtTheTimeoutAndItsTasksMove() throws {
        var harness = Harness(SchedulerConfig(executorTimeoutMs: 5000))
        try harness.register("a", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 1)).launches
        harness.nowMs += 3000
        try harness.register("b", slots: 1)
        // a registered at 1000: its heartbeat deadline comes first.
        #expect(harness.scheduler.nextDeadlineMs == Int64(6000))
        #expect(harness.tick(advanceMs: 1999) == [])
        let lost = harness.tick(advanceMs: 1)
        #expect(lost.first == .executorLost(executorId: "a", reason: .heartbeatTimeout(silentMs: 5000)))
        #expect(lost.launches.map(\.executorId) == ["b"])
        #expect(lost.launches.map(\.task) == launches.map(\.task))
        // b registered at 4000 and is silent too: it goes at 9000 unless it heartbeats.
        harness.nowMs = 8500
        harness.heartbeat("b")
        #expect(harness.tick(advanceMs: 1000).lostExecutors == [])
        #expect(harness.tick(advanceMs: 4000).lostExecutors == ["b"])
    }

    @Test func unknownExecutorIsToldToGoAway() throws {
        var harness = Harness()
        #expect(harness.heartbeat("ghost") == [.executorUnknown(executorId: "ghost")])
        #expect(harness.drain("ghost") == [.executorUnknown(executorId: "ghost")])
        #expect(harness.lose("ghost") == [])
        try harness.register("a")
        harness.lose("a")
        #expect(harness.heartbeat("a") == [.executorUnknown(executorId: "a")])
        #expect(harness.lose("a") == [])
        #expect(harness.scheduler.stats.executorsLost == 1)
    }

    @Test func idleDrainingExecutorIsReleasedAtOnce() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        #expect(harness.drain("a") == [.releaseExecutor(executorId: "a")])
        #expect(harness.scheduler.executorStatuses == [])
    }

    @Test func drainingExecutorFinishesItsTasksThenIsReleased() throws {
        var harness = Harness()
        try harness.register("a", slots: 2)
        let launches = try harness.submit(singleStage(partitions: 2)).launches
        #expect(harness.drain("a") == [])
        #expect(harness.succeed(launches[0]).releasedExecutors == [])
        let last = harness.succeed(launches[1])
        #expect(last.succeededBatches.count == 1)
        #expect(last.releasedExecutors == ["a"])
        #expect(harness.scheduler.stats.executorsReleased == 1)
    }

    @Test func drainingExecutorStaysWhileItsShuffleOutputIsNeeded() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let maps = try harness.submit(.mapReduce(job: "j", batchId: 0, mapPartitions: 2, reducePartitions: 1)).launches
        #expect(maps.map(\.executorId) == ["a", "b"])
        harness.drain("a")
        #expect(harness.succeed(maps[0]).releasedExecutors == [])
        let reduce = harness.succeed(maps[1]).launches
        #expect(reduce.map(\.executorId) == ["b"])
        #expect(reduce[0].inputs[0].mapOutputs.map(\.executorId) == ["a", "b"])
        let last = harness.succeed(reduce[0])
        #expect(last.succeededBatches.count == 1 && last.releasedExecutors == ["a"])
    }

    @Test func whenEveryExecutorDrainsHeldOutputDoesNotKeepThem() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let maps = try harness.submit(.mapReduce(job: "j", batchId: 0, mapPartitions: 2, reducePartitions: 1)).launches
        harness.drain("a")
        #expect(harness.succeed(maps[0]).releasedExecutors == [], "b stays, so a's output may still be read")
        // b drains before its map ends: no executor is left to run the reduce stage.
        #expect(harness.drain("b").releasedExecutors == ["a"])
        #expect(harness.succeed(maps[1]).releasedExecutors == ["b"])
        #expect(harness.scheduler.executorStatuses == [])
        // A newcomer reruns both maps (their output left with a and b), then the reduce.
        let rerun = try harness.register("c", slots: 2)
        #expect(rerun.launches.map(\.task.stage) == [0, 0])
        let reduce = harness.succeedAll(rerun.launches).launches
        #expect(reduce.map(\.task.stage) == [1] && reduce.map(\.executorId) == ["c"])
        #expect(harness.succeed(reduce[0]).succeededBatches.count == 1)
    }

    @Test func registrationErrorsChangeNothing() throws {
        var harness = Harness(SchedulerConfig(executorsMax: 1, slotsPerExecutorMax: 8))
        #expect(throws: SchedulerError.slotsOutOfRange(executorId: "a", slots: 0, limit: 8)) {
            try harness.register("a", slots: 0)
        }
        #expect(throws: SchedulerError.slotsOutOfRange(executorId: "a", slots: 9, limit: 8)) {
            try harness.register("a", slots: 9)
        }
        try harness.register("a", slots: 8)
        #expect(throws: SchedulerError.executorAlreadyRegistered(executorId: "a")) { try harness.register("a") }
        #expect(throws: SchedulerError.tooManyExecutors(limit: 1)) { try harness.register("b") }
        #expect(harness.scheduler.executorStatuses.map(\.executorId) == ["a"])
    }

    @Test func timeGoingBackwardsIsClampedAndHugeTimesDoNotTrap() throws {
        var harness = Harness(SchedulerConfig(executorTimeoutMs: 100))
        try harness.register("a")
        harness.nowMs = 0
        #expect(harness.tick() == [])
        #expect(harness.scheduler.executorStatuses.map(\.lastHeartbeatMs) == [1000])
        harness.nowMs = .max
        #expect(harness.tick().lostExecutors == ["a"])
        try harness.register("b")
        #expect(harness.scheduler.nextDeadlineMs == .max)
    }
}

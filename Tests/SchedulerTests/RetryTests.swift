import Testing

@testable import Scheduler

/// Failures: retries elsewhere, the attempt limit, and fencing of reports that are no longer wanted.
@Suite struct RetryTests {
    @Test func failedAttemptIsRetriedOnAnotherExecutor() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 1)).launches
        #expect(launches.map(\.executorId) == ["a"])
        let retry = harness.fail(launches[0]).launches
        #expect(retry.map(\.executorId) == ["b"])
        #expect(retry.map(\.attemptNumber) == [1])
        #expect(retry[0].attemptId != launches[0].attemptId)
        #expect(harness.scheduler.stats.failuresCounted == 1)
    }

    @Test func retryWaitsForAnotherExecutorRatherThanTheOneItFailedOn() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 2)).launches
        let onA = try #require(launches.first { $0.executorId == "a" })
        let onB = try #require(launches.first { $0.executorId == "b" })
        #expect(harness.fail(onA).launches == [])
        let retry = harness.succeed(onB).launches
        #expect(retry.map(\.executorId) == ["b"])
        #expect(retry.map(\.task) == [onA.task])
    }

    @Test func onlyExecutorIsReusedAfterAFailure() throws {
        var harness = Harness()
        try harness.register("solo", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 1)).launches
        #expect(harness.fail(launches[0]).launches.map(\.executorId) == ["solo"])
    }

    @Test func fourthFailureFailsTheBatchAndCancelsTheRest() throws {
        var harness = Harness()
        try harness.register("a", slots: 2)
        try harness.register("b", slots: 2)
        var launches = try harness.submit(singleStage(partitions: 3)).launches
        let victim = launches[0].task
        let bystanders = launches.dropFirst().map(\.attemptId)
        var current = launches[0]
        var last: [SchedulerDirective] = []
        for attempt in 1...4 {
            last = harness.fail(current, "disk full \(attempt)")
            launches = last.launches
            if attempt < 4 { current = try #require(launches.first { $0.task == victim }) }
        }
        let reason = BatchFailureReason.taskFailed(task: victim, attempts: 4, error: "disk full 4")
        #expect(last.failedBatches == [BatchKey(job: "job", batchId: 0): reason])
        #expect(last.cancelledAttempts.sorted() == bystanders.sorted())
        #expect(last.succeededBatches == [] && last.launches == [])
        #expect(harness.scheduler.isIdle)
        #expect(harness.scheduler.executorStatuses.allSatisfy { $0.runningAttempts == 0 })
        #expect(reason.description.contains("disk full 4"))
    }

    @Test func staleReportsAreIgnoredAndCounted() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 2)).launches
        // A report from the wrong executor, for an unknown attempt, and a success twice.
        #expect(harness.scheduler.attemptSucceeded(attemptId: launches[0].attemptId, executorId: "b", nowMs: 1) == [])
        #expect(harness.scheduler.attemptSucceeded(attemptId: 999, executorId: "a", nowMs: 1) == [])
        #expect(harness.succeed(launches[0]).acceptedAttempts == [launches[0].attemptId])
        #expect(harness.succeed(launches[0]) == [])
        #expect(harness.fail(launches[0]) == [])
        #expect(harness.scheduler.stats.staleReportsIgnored == 4)
        #expect(harness.scheduler.stats.resultsAccepted == 1)
        #expect(harness.scheduler.stats.failuresCounted == 0)
    }

    @Test func reportsFromALostExecutorAreIgnored() throws {
        var harness = Harness()
        try harness.register("a", slots: 1)
        try harness.register("b", slots: 1)
        let launches = try harness.submit(singleStage(partitions: 1)).launches
        #expect(launches.map(\.executorId) == ["a"])
        let afterLoss = harness.lose("a")
        #expect(afterLoss.lostExecutors == ["a"])
        #expect(afterLoss.launches.map(\.executorId) == ["b"])
        #expect(harness.succeed(launches[0]) == [])
        #expect(harness.scheduler.stats.staleReportsIgnored == 1)
        #expect(harness.succeed(afterLoss.launches[0]).succeededBatches.count == 1)
    }

    @Test func executorLossDoesNotCountAgainstTheTask() throws {
        var harness = Harness()
        var launch = try #require(
            try { () throws -> [TaskLaunch] in
                try harness.register("e0", slots: 1)
                return try harness.submit(singleStage(partitions: 1)).launches
            }().first)
        // Ten losses in a row, far beyond attemptsMax: the task keeps going.
        for round in 1...10 {
            harness.lose(launch.executorId)
            let next = try harness.register("e\(round)", slots: 1).launches
            launch = try #require(next.first)
            #expect(launch.attemptNumber == round)
        }
        #expect(harness.scheduler.stats.failuresCounted == 0)
        #expect(harness.scheduler.stats.attemptsLostWithExecutor == 10)
        #expect(harness.succeed(launch).succeededBatches.count == 1)
    }

    @Test func launchesAreBoundedEvenWithoutBlame() throws {
        var harness = Harness(SchedulerConfig(attemptsMax: 2, taskLaunchesMax: 3))
        try harness.register("e0", slots: 1)
        var launch = try #require(try harness.submit(singleStage(partitions: 1)).launches.first)
        for round in 1...2 {
            harness.lose(launch.executorId)
            launch = try #require(try harness.register("e\(round)", slots: 1).launches.first)
        }
        let last = harness.lose(launch.executorId)
        #expect(last.failedBatches.values.first == .taskLaunchesExhausted(task: launch.task, launches: 3))
        #expect(harness.scheduler.isIdle)
    }

    @Test func cancelledJobStopsItsAttemptsAndLaterResultsAreStale() throws {
        var harness = Harness()
        try harness.register("a", slots: 4)
        let kept = try harness.submit(singleStage("keep", partitions: 1)).launches
        var stopped = try harness.submit(singleStage("stop", batchId: 3, partitions: 2)).launches
        stopped += try harness.submit(singleStage("stop", batchId: 4, partitions: 2)).launches
        #expect(stopped.count == 3)
        let directives = harness.cancel("stop")
        #expect(directives.cancelledAttempts.sorted() == stopped.map(\.attemptId).sorted())
        #expect(directives.failedBatches.isEmpty && directives.succeededBatches.isEmpty)
        #expect(harness.scheduler.batchStatuses.map(\.batch) == [BatchKey(job: "keep", batchId: 0)])
        #expect(harness.succeed(stopped[0]) == [])
        #expect(harness.scheduler.stats.batchesCancelled == 2)
        #expect(harness.succeed(kept[0]).succeededBatches.count == 1)
        #expect(harness.scheduler.isIdle)
    }
}

import Testing

@testable import Scheduler

/// Malformed batches are refused with a typed error and change nothing.
@Suite struct BatchSpecTests {
    static let key = BatchKey(job: "j", batchId: 1)

    static func refused(_ stages: [StageSpec]) -> SchedulerError? {
        var scheduler = TaskScheduler(config: SchedulerConfig(stagesPerBatchMax: 3, partitionsPerStageMax: 10))
        do {
            _ = try scheduler.submitBatch(BatchSpec(job: "j", batchId: 1, stages: stages), nowMs: 0)
            return nil
        } catch {
            #expect(scheduler.isIdle)
            return error
        }
    }

    @Test func malformedSpecsAreRefused() {
        let one = StageSpec(partitionCount: 1)
        #expect(Self.refused([]) == .stageCountOutOfRange(Self.key, count: 0, limit: 3))
        #expect(Self.refused([one, one, one, one]) == .stageCountOutOfRange(Self.key, count: 4, limit: 3))
        #expect(
            Self.refused([StageSpec(partitionCount: 0)])
                == .partitionCountOutOfRange(Self.key, stage: 0, count: 0, limit: 10))
        #expect(
            Self.refused([StageSpec(partitionCount: 11)])
                == .partitionCountOutOfRange(Self.key, stage: 0, count: 11, limit: 10))
        #expect(
            Self.refused([StageSpec(partitionCount: 1, parents: [0])]) == .invalidParent(Self.key, stage: 0, parent: 0))
        #expect(
            Self.refused([one, StageSpec(partitionCount: 1, parents: [2])])
                == .invalidParent(Self.key, stage: 1, parent: 2))
        #expect(
            Self.refused([one, StageSpec(partitionCount: 1, parents: [-1])])
                == .invalidParent(Self.key, stage: 1, parent: -1))
        #expect(
            Self.refused([one, StageSpec(partitionCount: 1, parents: [0, 0])])
                == .invalidParent(Self.key, stage: 1, parent: 0))
        #expect(
            Self.refused([StageSpec(partitionCount: 2, preferredExecutors: [2: "a"])])
                == .preferredPartitionOutOfRange(Self.key, stage: 0, partition: 2))
        #expect(Self.refused([one, StageSpec(partitionCount: 10, parents: [0])]) == nil)
    }

    @Test func duplicateAndExcessBatchesAreRefused() throws {
        var scheduler = TaskScheduler(config: SchedulerConfig(batchesInFlightMax: 2))
        _ = try scheduler.submitBatch(singleStage(batchId: 1, partitions: 1), nowMs: 0)
        #expect(throws: SchedulerError.batchAlreadySubmitted(BatchKey(job: "job", batchId: 1))) {
            try scheduler.submitBatch(singleStage(batchId: 1, partitions: 1), nowMs: 0)
        }
        _ = try scheduler.submitBatch(singleStage(batchId: 2, partitions: 1), nowMs: 0)
        #expect(throws: SchedulerError.tooManyBatchesInFlight(limit: 2)) {
            try scheduler.submitBatch(singleStage(batchId: 3, partitions: 1), nowMs: 0)
        }
        #expect(scheduler.batchStatuses.map(\.batch.batchId) == [1, 2])
    }

    @Test func errorsAndReasonsDescribeThemselves() {
        #expect(SchedulerError.invalidParent(Self.key, stage: 1, parent: 5).description.contains("j/1"))
        #expect(ExecutorLossReason.heartbeatTimeout(silentMs: 5001).description == "no heartbeat for 5001 ms")
        #expect(BatchFailureReason.stageResubmissionsExhausted(resubmissions: 17).description.contains("17"))
    }
}

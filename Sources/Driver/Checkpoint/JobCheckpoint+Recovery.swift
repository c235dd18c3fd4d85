/// What a restarted driver finds in a job's offsets and commits logs.
public struct RecoveredBatches: Sendable, Equatable {
    /// The newest `offsets/N`, nil for a job that never planned a batch.
    public var lastOffsets: OffsetEntry?
    /// The newest `commits/N`, nil for a job that never committed one.
    public var lastCommit: CommitEntry?
    /// `offsets/N-1` when neither it nor the newest `offsets/N` has a commit: batch N is planned
    /// while N-1's commit is still being written, so a crash can leave both to run again.
    public var uncommittedBefore: OffsetEntry?

    /// Recovered logs.
    public init(lastOffsets: OffsetEntry?, lastCommit: CommitEntry?, uncommittedBefore: OffsetEntry? = nil) {
        self.lastOffsets = lastOffsets
        self.lastCommit = lastCommit
        self.uncommittedBefore = uncommittedBefore
    }

    /// The batches that were planned but not committed, oldest first, which must run again
    /// exactly as recorded: none, one, or two (a batch and the next, planned while it committed).
    public var replays: [OffsetEntry] {
        guard let lastOffsets, lastOffsets.batchId != lastCommit?.batchId else { return [] }
        return (uncommittedBefore.map { [$0] } ?? []) + [lastOffsets]
    }

    /// The first batch that must run again, if any.
    public var uncommitted: OffsetEntry? { replays.first }
}

extension JobCheckpoint {
    /// Reads the newest offsets and commit entries and checks they fit together: both name the
    /// same batch, or the offsets are one batch ahead (that batch must run again), or two (the
    /// next batch was planned while the previous one's commit was being written: both run again).
    public func recoverBatches() throws(CheckpointError) -> RecoveredBatches {
        let offsetIds = try batchIds(in: "offsets")
        let commitIds = try batchIds(in: "commits")
        guard let lastOffsetsId = offsetIds.last else {
            if let stray = commitIds.last {
                throw .inconsistent(path: commitPath(stray), reason: "a commit exists but no offsets entry")
            }
            return RecoveredBatches(lastOffsets: nil, lastCommit: nil)
        }
        let offsets = try readOffsets(lastOffsetsId)
        let lastCommitId = commitIds.last ?? -1
        guard lastOffsetsId - 2...lastOffsetsId ~= lastCommitId else {
            let reason =
                commitIds.isEmpty
                ? "no batch before it was committed"
                : "last commit is batch \(lastCommitId) but last offsets entry is batch \(lastOffsetsId)"
            return try inconsistent(commitIds.isEmpty ? offsetsPath(lastOffsetsId) : commitPath(lastCommitId), reason)
        }
        let before = lastCommitId == lastOffsetsId - 2 ? try readOffsets(lastOffsetsId - 1) : nil
        if let before,
            offsets.ranges.contains(where: { range in before.ends[range.partition].map { $0 != range.start } ?? false })
        {
            return try inconsistent(offsetsPath(lastOffsetsId), "does not start where batch \(before.batchId) ends")
        }
        return RecoveredBatches(
            lastOffsets: offsets, lastCommit: commitIds.isEmpty ? nil : try readCommit(lastCommitId),
            uncommittedBefore: before)
    }

    private func inconsistent(_ path: String, _ reason: String) throws(CheckpointError) -> RecoveredBatches {
        throw .inconsistent(path: path, reason: reason)
    }

    /// Deletes offsets and commits more than `retainedBatches` behind `committedBatchId`, and
    /// state files no restart can need: those older than each partition's newest snapshot at or
    /// below `committedBatchId`. Best effort per file; a file that will not go is tried next time.
    public func cleanUp(committedBatchId: Int64, retainedBatches: Int64) throws(CheckpointError) {
        precondition(retainedBatches >= 1, "keep at least the last batch")
        let oldestKept = committedBatchId - retainedBatches + 1
        for folder in ["offsets", "commits"] {
            for batchId in try batchIds(in: folder) where batchId < oldestKept {
                remove(path("\(folder)/\(batchId)"))
            }
        }
        for partition in try statePartitions() {
            let directory = stateDirectory(partition)
            let snapshots = try Self.numberedNames(in: directory, suffix: ".snapshot")
            guard let base = snapshots.filter({ $0 <= committedBatchId }).max() else { continue }
            for version in snapshots where version < base { remove("\(directory)/\(version).snapshot") }
            for version in try Self.numberedNames(in: directory, suffix: ".delta") where version < base {
                remove("\(directory)/\(version).delta")
            }
        }
    }
}

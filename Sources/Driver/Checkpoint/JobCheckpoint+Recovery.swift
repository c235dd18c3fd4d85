/// What a restarted driver finds in a job's offsets and commits logs.
public struct RecoveredBatches: Sendable, Equatable {
    /// The newest `offsets/N`, nil for a job that never planned a batch.
    public var lastOffsets: OffsetEntry?
    /// The newest `commits/N`, nil for a job that never committed one.
    public var lastCommit: CommitEntry?

    /// Recovered logs.
    public init(lastOffsets: OffsetEntry?, lastCommit: CommitEntry?) {
        self.lastOffsets = lastOffsets
        self.lastCommit = lastCommit
    }

    /// The batch that was planned but not committed, which must run again exactly as recorded.
    public var uncommitted: OffsetEntry? {
        guard let lastOffsets, lastOffsets.batchId != lastCommit?.batchId else { return nil }
        return lastOffsets
    }
}

extension JobCheckpoint {
    /// Reads the newest offsets and commit entries and checks they fit together: either both name
    /// the same batch, or the offsets are one batch ahead (that batch must run again).
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
        guard let lastCommitId = commitIds.last else {
            guard lastOffsetsId == 0 else {
                throw .inconsistent(path: offsetsPath(lastOffsetsId), reason: "no batch before it was committed")
            }
            return RecoveredBatches(lastOffsets: offsets, lastCommit: nil)
        }
        guard lastCommitId == lastOffsetsId || lastCommitId == lastOffsetsId - 1 else {
            throw .inconsistent(
                path: commitPath(lastCommitId),
                reason: "last commit is batch \(lastCommitId) but last offsets entry is batch \(lastOffsetsId)")
        }
        return RecoveredBatches(lastOffsets: offsets, lastCommit: try readCommit(lastCommitId))
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

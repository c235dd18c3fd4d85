import Foundation
import Query
import Testing

@testable import Driver

/// The checkpoint directory: round trips, refusal of torn and foreign files, recovery shapes, state
/// versions and cleanup.
@Suite(.dedicatedThread) struct CheckpointStoreTests {
    static let meta = JobMeta(name: "pv_uv", createdAtMs: 1_700_000_000_000, state: .running)

    static func offsets(_ batchId: Int64, _ ranges: [(Int32, Int64, Int64)], watermarkMs: Int64? = nil) -> OffsetEntry {
        OffsetEntry(
            batchId: batchId, topic: "clicks",
            ranges: ranges.map { SourceRange(partition: $0.0, start: $0.1, end: $0.2) }, watermarkMs: watermarkMs,
            plannedAtMs: 1_700_000_000_000 + batchId)
    }

    static func commit(_ batchId: Int64, watermarkMs: Int64? = nil) -> CommitEntry {
        CommitEntry(
            batchId: batchId, nextWatermarkMs: watermarkMs, inputRecords: 10 * batchId, outputRows: batchId,
            deadLetters: 1, committedAtMs: 1_700_000_100_000 + batchId)
    }

    @Test func jobFilesRoundTrip() throws {
        try withTemporaryDirectory { root in
            let store = try CheckpointStore(root: root)
            #expect(try store.jobIds().isEmpty)
            let job = try store.createJob("pv_uv", sql: "SELECT 1; -- é", meta: Self.meta)
            #expect(try store.jobIds() == ["pv_uv"])
            #expect(try job.readSQL() == "SELECT 1; -- é")
            #expect(try job.readMeta() == Self.meta)
            var failed = Self.meta
            failed.state = .failed
            failed.failure = "task 3 failed 4 times"
            try job.writeMeta(failed)
            #expect(try store.job("pv_uv").readMeta() == failed)

            let entry = Self.offsets(7, [(0, 10, 20), (1, 5, 5), (2, 0, 100)], watermarkMs: -5)
            try job.writeOffsets(entry)
            #expect(try job.readOffsets(7) == entry)
            let commit = Self.commit(7, watermarkMs: 123_456)
            try job.writeCommit(commit)
            #expect(try job.readCommit(7) == commit)
            #expect(throws: CheckpointError.missing(path: job.commitPath(8))) { try job.readCommit(8) }
        }
    }

    @Test func tornAndForeignFilesAreRefused() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            try job.writeOffsets(Self.offsets(0, [(0, 0, 10)]))
            let path = job.offsetsPath(0)
            let good = try fileBytes(path)

            try writeBytes(path, Array(good.dropLast(3)))
            #expect(throws: CheckpointError.truncated(path: path)) { try job.readOffsets(0) }
            try writeBytes(path, Array(good.prefix(5)))
            #expect(throws: CheckpointError.truncated(path: path)) { try job.readOffsets(0) }

            var flipped = good
            flipped[flipped.count - 2] ^= 0x40
            try writeBytes(path, flipped)
            #expect(throws: CheckpointError.checksumMismatch(path: path)) { try job.readOffsets(0) }

            var future = good
            future[1] = 9
            try writeBytes(path, future)
            #expect(throws: CheckpointError.unsupportedVersion(path: path, found: 9, supported: 1)) {
                try job.readOffsets(0)
            }

            // A commit file copied into offsets/ is caught by its kind byte.
            try job.writeCommit(Self.commit(0))
            try writeBytes(path, try fileBytes(job.commitPath(0)))
            #expect(throws: CheckpointError.wrongKind(path: path, found: 3, expected: 2)) { try job.readOffsets(0) }

            try writeBytes(path, Array("garbage that is long enough".utf8))
            #expect(throws: CheckpointError.self) { try job.readOffsets(0) }
        }
    }

    @Test func wellFramedGarbageBodyIsMalformed() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            let path = job.offsetsPath(0)
            // Right envelope, but a range that ends before it starts.
            var body: [UInt8] = []
            body += [0, 0, 0, 0, 0, 0, 0, 0]  // batch 0
            body += [0, 1, UInt8(ascii: "t")]  // topic "t"
            body += [0, 0, 0, 1]  // one range
            body += [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 9] + [0, 0, 0, 0, 0, 0, 0, 3]
            body += [0] + [0, 0, 0, 0, 0, 0, 0, 0]
            try writeBytes(path, CheckpointFile.encode(.offsets, body: body))
            #expect {
                try job.readOffsets(0)
            } throws: { error in
                guard case .malformed(let at, _) = error as? CheckpointError else { return false }
                return at == path
            }
        }
    }

    @Test func recoveryShapes() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            #expect(try job.recoverBatches() == RecoveredBatches(lastOffsets: nil, lastCommit: nil))

            let first = Self.offsets(0, [(0, 0, 10)])
            try job.writeOffsets(first)
            var recovered = try job.recoverBatches()
            #expect(recovered.uncommitted == first && recovered.lastCommit == nil)

            try job.writeCommit(Self.commit(0))
            recovered = try job.recoverBatches()
            #expect(recovered.uncommitted == nil && recovered.lastCommit == Self.commit(0))

            let second = Self.offsets(1, [(0, 10, 12)])
            try job.writeOffsets(second)
            recovered = try job.recoverBatches()
            #expect(recovered.uncommitted == second && recovered.lastCommit == Self.commit(0))

            // A leftover temporary file of an interrupted write is not a batch.
            try writeBytes(job.path("offsets/2.tmp"), [1, 2, 3])
            #expect(try job.recoverBatches().uncommitted == second)

            // Batch 2 planned while batch 1's commit was being written: both run again, in order.
            let third = Self.offsets(2, [(0, 12, 14)])
            try job.writeOffsets(third)
            recovered = try job.recoverBatches()
            #expect(recovered.replays == [second, third] && recovered.uncommitted == second)
            #expect(recovered.lastCommit == Self.commit(0))

            // Three batches ahead of the last commit cannot happen: refused.
            try job.writeOffsets(Self.offsets(3, [(0, 14, 16)]))
            #expect(throws: CheckpointError.self) { try job.recoverBatches() }
        }
    }

    @Test func twoUncommittedBatchesMustFollowEachOther() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            try job.writeOffsets(Self.offsets(0, [(0, 0, 10)]))
            try job.writeOffsets(Self.offsets(1, [(0, 10, 12)]))
            // No commit yet: batch 1 was planned while batch 0's commit was being written.
            #expect(try job.recoverBatches().replays.map(\.batchId) == [0, 1])
            // A batch 1 that does not start where batch 0 ends is not the next batch.
            try job.writeOffsets(Self.offsets(1, [(0, 11, 12)]))
            #expect(throws: CheckpointError.self) { try job.recoverBatches() }
        }
    }

    @Test func commitWithoutOffsetsIsInconsistent() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            try job.writeCommit(Self.commit(0))
            #expect(throws: CheckpointError.self) { try job.recoverBatches() }
        }
    }

    @Test func stateVersionsStartAtTheNewestSnapshot() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            #expect(try job.stateVersions(partition: 0, version: -1) == StateVersions(snapshot: nil, deltas: []))
            for version in Int64(0)...6 {
                try job.writeState([
                    StateWrite(
                        partition: 1, version: version, delta: [UInt8(version)],
                        snapshot: version == 3 ? [0xAA, 3] : nil)
                ])
            }
            let upTo2 = (Int64(0)...2).map { VersionedBytes(version: $0, bytes: [UInt8($0)]) }
            #expect(try job.stateVersions(partition: 1, version: 2) == StateVersions(snapshot: nil, deltas: upTo2))
            let snapshot = VersionedBytes(version: 3, bytes: [0xAA, 3])
            #expect(try job.stateVersions(partition: 1, version: 3) == StateVersions(snapshot: snapshot, deltas: []))
            let after = (Int64(4)...6).map { VersionedBytes(version: $0, bytes: [UInt8($0)]) }
            #expect(try job.stateVersions(partition: 1, version: 6) == StateVersions(snapshot: snapshot, deltas: after))
            #expect(throws: CheckpointError.self) { try job.stateVersions(partition: 1, version: 7) }
            #expect(throws: CheckpointError.self) { try job.stateVersions(partition: 2, version: 0) }
        }
    }

    @Test func stateOfManyPartitionsIsWrittenTogether() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            for version in Int64(0)...2 {
                try job.writeState(
                    (Int32(0)..<6).map { partition in
                        StateWrite(
                            partition: partition, version: version, delta: [UInt8(partition), UInt8(version)],
                            snapshot: version == 1 ? [0xAA, UInt8(partition)] : nil)
                    })
            }
            for partition in Int32(0)..<6 {
                let expected = StateVersions(
                    snapshot: VersionedBytes(version: 1, bytes: [0xAA, UInt8(partition)]),
                    deltas: [VersionedBytes(version: 2, bytes: [UInt8(partition), 2])])
                #expect(try job.stateVersions(partition: partition, version: 2) == expected)
            }
        }
    }

    @Test func aFailedStateFileLeavesNoVersionBehind() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            // A directory where partition 2's temporary file goes makes that one write fail.
            try FileManager.default.createDirectory(
                atPath: job.stateDirectory(2) + "/0.delta.tmp", withIntermediateDirectories: true)
            let writes = (Int32(0)..<4).map { StateWrite(partition: $0, version: 0, delta: [1], snapshot: nil) }
            #expect(throws: CheckpointError.self) { try job.writeState(writes) }
            for partition in Int32(0)..<4 {
                #expect(try JobCheckpoint.numberedNames(in: job.stateDirectory(partition), suffix: ".delta").isEmpty)
            }
        }
    }

    @Test func stateGapIsInconsistent() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            for version in [Int64(0), 1, 3] {
                try job.writeState([StateWrite(partition: 0, version: version, delta: [1], snapshot: nil)])
            }
            #expect {
                try job.stateVersions(partition: 0, version: 3)
            } throws: { error in
                guard case .inconsistent = error as? CheckpointError else { return false }
                return true
            }
        }
    }

    @Test func cleanupKeepsRecentBatchesAndStateFromTheLastSnapshot() throws {
        try withTemporaryDirectory { root in
            let job = try CheckpointStore(root: root).createJob("j", sql: "", meta: Self.meta)
            for batch in Int64(0)..<30 {
                try job.writeOffsets(Self.offsets(batch, [(0, batch, batch + 1)]))
                try job.writeCommit(Self.commit(batch))
                try job.writeState([
                    StateWrite(partition: 0, version: batch, delta: [1], snapshot: batch % 10 == 5 ? [2] : nil)
                ])
            }
            try job.cleanUp(committedBatchId: 29, retainedBatches: 5)
            #expect(try job.batchIds(in: "offsets") == Array(25...29))
            #expect(try job.batchIds(in: "commits") == Array(25...29))
            let directory = job.stateDirectory(0)
            #expect(try JobCheckpoint.numberedNames(in: directory, suffix: ".snapshot").sorted() == [25])
            #expect(try JobCheckpoint.numberedNames(in: directory, suffix: ".delta").sorted() == Array(25...29))
            // What remains still answers every version a restart can ask for.
            let versions = try job.stateVersions(partition: 0, version: 29)
            #expect(versions.snapshot?.version == 25 && versions.deltas.map(\.version) == Array(26...29))
            #expect(try job.recoverBatches().lastCommit == Self.commit(29))
        }
    }
}

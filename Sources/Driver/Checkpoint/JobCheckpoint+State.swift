import Dispatch
import Glibc
import Query
import Synchronization
import Wire

/// One state partition's new version, as a reduce task reported it.
public struct StateWrite: Sendable, Equatable {
    /// The state partition (the reduce partition).
    public var partition: Int32
    /// The version: the batch id that produced it.
    public var version: Int64
    /// The change since the previous version.
    public var delta: [UInt8]
    /// The whole state at `version`, when the task was asked for one.
    public var snapshot: [UInt8]?

    /// A state write.
    public init(partition: Int32, version: Int64, delta: [UInt8], snapshot: [UInt8]?) {
        self.partition = partition
        self.version = version
        self.delta = delta
        self.snapshot = snapshot
    }
}

extension JobCheckpoint {
    func stateDirectory(_ partition: Int32) -> String { path("state/\(partition)") }

    /// State partitions with a directory, ascending.
    func statePartitions() throws(CheckpointError) -> [Int32] {
        try Self.numberedNames(in: path("state"), suffix: "").compactMap { Int32(exactly: $0) }.sorted()
    }

    /// Persists every write: each file goes to a temporary name and is fsynced, then all are
    /// renamed, then each directory is fsynced once (cheaper than a directory fsync per file, and
    /// as safe: nothing relies on these files until `commits/N`, which is written after).
    public func writeState(_ writes: [StateWrite]) throws(CheckpointError) {
        var files: [(path: String, bytes: [UInt8])] = []
        for write in writes {
            let directory = stateDirectory(write.partition)
            let delta = CheckpointFile.encode(.stateDelta, body: write.delta)
            files.append(("\(directory)/\(write.version).delta", delta))
            if let snapshot = write.snapshot {
                files.append(
                    ("\(directory)/\(write.version).snapshot", CheckpointFile.encode(.stateSnapshot, body: snapshot)))
            }
        }
        let directories = Set(writes.map { stateDirectory($0.partition) })
        do throws(PosixError) {
            for directory in directories.sorted() { try Posix.mkdirs(directory) }
            try Self.concurrently(files) { file throws(PosixError) in
                try Self.writeSynced(file.path + ".tmp", file.bytes)
            }
            for file in files { try Posix.rename(file.path + ".tmp", file.path) }
            try Self.concurrently(directories.isEmpty ? [] : directories.sorted() + [path("state")]) {
                directory throws(PosixError) in
                try Posix.fsyncDirectory(directory)
            }
        } catch {
            throw .io(error)
        }
    }

    /// State partition `partition` as of `version`: the newest snapshot at or below it and every
    /// delta after that snapshot up to `version`, without gaps. Empty for `version` -1 (no batch
    /// yet); missing files or a gap are typed errors.
    public func stateVersions(partition: Int32, version: Int64) throws(CheckpointError) -> StateVersions {
        if version < 0 { return StateVersions(snapshot: nil, deltas: []) }
        let directory = stateDirectory(partition)
        let snapshotVersions = try Self.numberedNames(in: directory, suffix: ".snapshot")
        let base = snapshotVersions.filter { $0 <= version }.max()
        let deltaVersions = Set(try Self.numberedNames(in: directory, suffix: ".delta"))
        let first = base.map { $0 + 1 } ?? 0
        guard first > version || deltaVersions.contains(version) || base == version else {
            throw .missing(path: "\(directory)/\(version).delta")
        }
        var deltas: [VersionedBytes] = []
        var next = first
        while next <= version {
            guard deltaVersions.contains(next) else {
                throw .inconsistent(path: directory, reason: "no delta for version \(next) on the way to \(version)")
            }
            let file = "\(directory)/\(next).delta"
            deltas.append(VersionedBytes(version: next, bytes: try CheckpointFile.read(.stateDelta, from: file)))
            next += 1
        }
        let snapshot = try base.map { base throws(CheckpointError) in
            VersionedBytes(
                version: base, bytes: try CheckpointFile.read(.stateSnapshot, from: "\(directory)/\(base).snapshot"))
        }
        return StateVersions(snapshot: snapshot, deltas: deltas)
    }

    /// Runs `body` on every item at once and throws the first error, if any. Each fsync waits on
    /// the disk; issued together, the filesystem commits them in one journal write instead of one
    /// after another (a batch's state step took 11 ms for its 4 partitions one by one).
    static func concurrently<Item: Sendable>(_ items: [Item], _ body: @Sendable (Item) throws(PosixError) -> Void)
        throws(PosixError)
    {
        let failure = Mutex<PosixError?>(nil)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            do throws(PosixError) {
                try body(items[index])
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Writes `bytes` to `path` and fsyncs it (no rename).
    static func writeSynced(_ path: String, _ bytes: [UInt8]) throws(PosixError) {
        let fd = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        do throws(PosixError) {
            try bytes.withUnsafeBytes { raw in Result { () throws(PosixError) in try Posix.writeAll(fd, raw) } }.get()
            try Posix.fsync(fd)
            try Posix.close(fd)
        } catch {
            try? Posix.close(fd)
            throw error
        }
    }

    /// Removes a file, ignoring failure (cleanup retries next time).
    func remove(_ file: String) {
        try? Posix.unlink(file)
    }
}

import Wire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Committed offsets made durable in one append-only file, `<data-dir>/__consumer_offsets/commits.log`.
///
/// Opening replays the file and cuts any torn tail; `append` writes and fsyncs one batch before
/// returning; when the file outgrows its threshold it is rewritten with only the latest values
/// (write, fsync, rename). Not thread-safe: the shell keeps it behind a lock of its own, separate
/// from the coordinator's, so a slow fsync never blocks group traffic.
public final class OffsetStore {
    /// Tunables.
    public struct Options: Equatable, Sendable {
        /// The file is compacted once it reaches this size (or twice its last compacted size).
        public var compactionBytesMin: Int64

        /// Options; 64 MiB before the first compaction by default.
        public init(compactionBytesMin: Int64 = 64 << 20) {
            precondition(compactionBytesMin > 0, "compactionBytesMin must be positive")
            self.compactionBytesMin = compactionBytesMin
        }
    }

    /// The directory name under the data directory, after Kafka's internal topic.
    public static let directoryName = "__consumer_offsets"
    /// The log's file name inside that directory.
    public static let fileName = "commits.log"

    /// Path of the log file.
    public let path: String
    /// The latest value per key, as replayed and appended; pass it to `GroupCoordinator.init`.
    public private(set) var offsets: CommittedOffsets = [:]
    /// Bytes of torn or corrupt tail cut off when the store was opened.
    public private(set) var recoveredBytesCut: Int64 = 0
    /// Current size of the log file.
    public private(set) var fileBytes: Int64 = 0
    /// The last compaction failure, if any; appends still succeed and compaction is retried later.
    public private(set) var lastCompactionError: OffsetStoreError?

    private let options: Options
    private var descriptor: Int32 = -1
    private var compactionThresholdBytes: Int64
    private var brokenReason: String?

    /// Opens (creating if needed) the store under `dataDirectory` and replays it.
    public init(dataDirectory: String, options: Options = Options()) throws(OffsetStoreError) {
        let directory = dataDirectory + "/" + Self.directoryName
        self.path = directory + "/" + Self.fileName
        self.options = options
        self.compactionThresholdBytes = options.compactionBytesMin
        let path = self.path
        let bytes = try Self.io { () throws(PosixError) -> [UInt8] in
            try Posix.mkdirs(directory)
            try Posix.fsyncDirectory(dataDirectory)
            if Posix.exists(path + ".tmp") { try Posix.unlink(path + ".tmp") }
            let existing = Posix.exists(path) ? try Posix.readFile(path) : []
            if !existing.isEmpty { return existing }
            // A file that was never written (or emptied by hand) is a new store, not a damaged one.
            try Posix.writeFileAtomically(path, OffsetLogFormat.header())
            return OffsetLogFormat.header()
        }
        if let problem = OffsetLogFormat.headerProblem(bytes) {
            throw .unsupportedFormat(path: path, reason: problem)
        }
        try Self.io { () throws(PosixError) in try recover(bytes) }
        compactionThresholdBytes = max(options.compactionBytesMin, 2 * fileBytes)
    }

    deinit { close() }

    /// Replays `bytes`, cuts the torn tail from the file, and opens it for appending.
    private func recover(_ bytes: [UInt8]) throws(PosixError) {
        let (batches, validBytes) = OffsetLogFormat.replay(bytes)
        for batch in batches { offsets.apply(batch) }
        let fd = try Posix.open(path, O_WRONLY | O_CLOEXEC)
        if validBytes < bytes.count {
            do throws(PosixError) {
                try Posix.ftruncate(fd, Int64(validBytes))
                try Posix.fsync(fd)
            } catch {
                try? Posix.close(fd)
                throw error
            }
            recoveredBytesCut = Int64(bytes.count - validBytes)
        }
        descriptor = fd
        fileBytes = Int64(validBytes)
    }

    /// Writes `batch` durably (write + fsync) and applies it; compacts when the file is due.
    public func append(_ batch: OffsetCommitBatch) throws(OffsetStoreError) {
        try checkUsable()
        guard !batch.entries.isEmpty else { return }
        let bytes = OffsetLogFormat.encodeEntries(groupId: batch.groupId, batch.entries)
        do throws(PosixError) {
            try bytes.withUnsafeBytes { raw in
                Result { () throws(PosixError) in try Posix.pwriteAll(descriptor, raw, fileBytes) }
            }.get()
        } catch {
            // Cut the partial write so a later entry never lands behind garbage replay would stop at.
            do throws(PosixError) {
                try Posix.ftruncate(descriptor, fileBytes)
            } catch {
                brokenReason = "could not cut a failed write: \(error)"
            }
            throw .io(error)
        }
        do throws(PosixError) {
            try Posix.fsync(descriptor)
        } catch {
            // After a failed fsync the kernel may have dropped the dirty pages: trust nothing more.
            brokenReason = "fsync failed: \(error)"
            throw .io(error)
        }
        fileBytes += Int64(bytes.count)
        offsets.apply(batch)
        if fileBytes >= compactionThresholdBytes { compactAfterAppend() }
    }

    private func compactAfterAppend() {
        do throws(OffsetStoreError) {
            try compact()
            lastCompactionError = nil
        } catch {
            lastCompactionError = error
            compactionThresholdBytes = 2 * fileBytes
        }
    }

    /// Rewrites the file with only the latest value per key (write, fsync, rename).
    public func compact() throws(OffsetStoreError) {
        try checkUsable()
        var writer = ByteWriter()
        writer.writeBytes(OffsetLogFormat.header())
        for groupId in offsets.keys.sorted() {
            let values = offsets[groupId] ?? [:]
            let entries = values.keys.sorted().compactMap { key in
                values[key].map { OffsetCommitBatch.Entry(topicPartition: key, value: $0) }
            }
            writer.writeBytes(OffsetLogFormat.encodeEntries(groupId: groupId, entries))
        }
        do throws(PosixError) {
            try Posix.writeFileAtomically(path, writer.bytes)
        } catch {
            throw .io(error)
        }
        do throws(PosixError) {
            let fresh = try Posix.open(path, O_WRONLY | O_CLOEXEC)
            try? Posix.close(descriptor)
            descriptor = fresh
        } catch {
            // The old descriptor names the replaced file; appending through it would be lost.
            brokenReason = "could not reopen after compaction: \(error)"
            throw .io(error)
        }
        fileBytes = Int64(writer.count)
        compactionThresholdBytes = max(options.compactionBytesMin, 2 * fileBytes)
    }

    /// Closes the file; later calls throw `.closed`. Safe to call twice.
    public func close() {
        guard descriptor >= 0 else { return }
        try? Posix.close(descriptor)
        descriptor = -1
    }

    private static func io<T>(_ body: () throws(PosixError) -> T) throws(OffsetStoreError) -> T {
        do throws(PosixError) {
            return try body()
        } catch {
            throw .io(error)
        }
    }

    private func checkUsable() throws(OffsetStoreError) {
        guard descriptor >= 0 else { throw .closed(path: path) }
        if let brokenReason { throw .broken(path: path, reason: brokenReason) }
    }
}

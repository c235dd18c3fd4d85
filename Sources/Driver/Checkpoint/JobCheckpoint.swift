import Glibc
import Wire

/// One job's checkpoint directory:
///
///     <root>/<jobId>/job.sql                     the submitted SQL
///     <root>/<jobId>/job.meta                    name, creation time, running/stopped/failed
///     <root>/<jobId>/offsets/<N>                 ranges and watermark of batch N (before it runs)
///     <root>/<jobId>/commits/<N>                 batch N is done (after its outputs are durable)
///     <root>/<jobId>/state/<p>/<N>.delta         state partition p's change in batch N
///     <root>/<jobId>/state/<p>/<N>.snapshot      state partition p as of batch N, every K batches
///
/// Every file but job.sql is a `CheckpointFile`. All calls block on the file system.
public struct JobCheckpoint: Sendable {
    static let metaName = "job.meta"
    static let sqlName = "job.sql"

    /// The job's id.
    public let jobId: String
    /// `<root>/<jobId>`.
    public let directory: String

    func path(_ relative: String) -> String { "\(directory)/\(relative)" }
    func offsetsPath(_ batchId: Int64) -> String { path("offsets/\(batchId)") }
    func commitPath(_ batchId: Int64) -> String { path("commits/\(batchId)") }

    /// The submitted SQL.
    public func readSQL() throws(CheckpointError) -> String {
        let file = path(Self.sqlName)
        let bytes: [UInt8]
        do throws(PosixError) {
            bytes = try Posix.readFile(file)
        } catch {
            throw error.errno == ENOENT ? .missing(path: file) : .io(error)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed(path: file, reason: "not UTF-8")
        }
        return text
    }

    /// Replaces the submitted SQL (a resubmission of a stopped job with the same name and text).
    public func writeSQL(_ sql: String) throws(CheckpointError) {
        do throws(PosixError) {
            try Posix.writeFileAtomically(path(Self.sqlName), Array(sql.utf8))
        } catch {
            throw .io(error)
        }
    }

    /// The job's meta record.
    public func readMeta() throws(CheckpointError) -> JobMeta {
        let file = path(Self.metaName)
        return try CheckpointFile.parse(try CheckpointFile.read(.meta, from: file), path: file, JobMeta.decode)
    }

    /// Replaces the job's meta record.
    public func writeMeta(_ meta: JobMeta) throws(CheckpointError) {
        try CheckpointFile.write(.meta, body: meta.encode(), to: path(Self.metaName))
    }

    /// Writes `offsets/N`; durable when this returns.
    public func writeOffsets(_ entry: OffsetEntry) throws(CheckpointError) {
        try CheckpointFile.write(.offsets, body: entry.encode(), to: offsetsPath(entry.batchId))
    }

    /// Reads `offsets/N`.
    public func readOffsets(_ batchId: Int64) throws(CheckpointError) -> OffsetEntry {
        let file = offsetsPath(batchId)
        let entry = try CheckpointFile.parse(
            try CheckpointFile.read(.offsets, from: file), path: file, OffsetEntry.decode)
        guard entry.batchId == batchId else {
            throw .inconsistent(path: file, reason: "holds batch \(entry.batchId)")
        }
        return entry
    }

    /// Writes `commits/N`; durable when this returns.
    public func writeCommit(_ entry: CommitEntry) throws(CheckpointError) {
        try CheckpointFile.write(.commit, body: entry.encode(), to: commitPath(entry.batchId))
    }

    /// Reads `commits/N`.
    public func readCommit(_ batchId: Int64) throws(CheckpointError) -> CommitEntry {
        let file = commitPath(batchId)
        let entry = try CheckpointFile.parse(
            try CheckpointFile.read(.commit, from: file), path: file, CommitEntry.decode)
        guard entry.batchId == batchId else {
            throw .inconsistent(path: file, reason: "holds batch \(entry.batchId)")
        }
        return entry
    }

    /// Batch ids with a file in `folder` ("offsets" or "commits"), ascending; leftover temporary
    /// files of an interrupted write are ignored.
    func batchIds(in folder: String) throws(CheckpointError) -> [Int64] {
        try Self.numberedNames(in: path(folder), suffix: "").sorted()
    }

    /// Versions named `<N><suffix>` in `directory`; other names are ignored.
    static func numberedNames(in directory: String, suffix: String) throws(CheckpointError) -> [Int64] {
        let names: [String]
        do throws(PosixError) {
            names = try Posix.listDirectory(directory)
        } catch {
            if error.errno == ENOENT { return [] }
            throw .io(error)
        }
        return names.compactMap { name in
            guard name.hasSuffix(suffix) else { return nil }
            let digits = name.dropLast(suffix.count)
            guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int64(digits)
        }
    }
}

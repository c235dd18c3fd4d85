import Glibc
import Wire

/// The driver's checkpoint directory: one subdirectory per job (see `JobCheckpoint`). All calls
/// block on the file system; run them on a thread of your own, never on Swift's shared pool.
public struct CheckpointStore: Sendable {
    /// The checkpoint directory.
    public let root: String

    /// Opens (creating if needed) the checkpoint directory at `root`.
    public init(root: String) throws(CheckpointError) {
        self.root = root
        do throws(PosixError) {
            try Posix.mkdirs(root)
        } catch {
            throw .io(error)
        }
    }

    /// Ids of the jobs with a `job.meta`, sorted.
    public func jobIds() throws(CheckpointError) -> [String] {
        let names: [String]
        do throws(PosixError) {
            names = try Posix.listDirectory(root)
        } catch {
            throw .io(error)
        }
        return names.filter { Posix.exists("\(root)/\($0)/\(JobCheckpoint.metaName)") }.sorted()
    }

    /// The job directory for `jobId` (which may not exist yet).
    public func job(_ jobId: String) -> JobCheckpoint {
        JobCheckpoint(jobId: jobId, directory: "\(root)/\(jobId)")
    }

    /// Creates the job's directory with its SQL and meta; `job.meta` is written last, so a crash
    /// midway leaves a directory that `jobIds()` does not list.
    public func createJob(_ jobId: String, sql: String, meta: JobMeta) throws(CheckpointError) -> JobCheckpoint {
        let job = job(jobId)
        do throws(PosixError) {
            for folder in ["", "/offsets", "/commits", "/state"] { try Posix.mkdirs(job.directory + folder) }
            try Posix.fsyncDirectory(root)
            try Posix.writeFileAtomically(job.path(JobCheckpoint.sqlName), Array(sql.utf8))
        } catch {
            throw .io(error)
        }
        try job.writeMeta(meta)
        return job
    }
}

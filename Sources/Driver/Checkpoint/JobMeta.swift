import Wire

/// Where a job stands, as its checkpoint records it.
public enum JobState: String, Sendable, Equatable, CaseIterable {
    /// Running, or to be resumed when the driver restarts.
    case running
    /// Stopped by `spate stop`: not resumed on restart until it is submitted again.
    case stopped
    /// A batch failed for good (or the checkpoint is unusable): not resumed until submitted again.
    case failed
}

/// `job.meta`: who the job is and whether a restarted driver resumes it.
public struct JobMeta: Sendable, Equatable {
    /// The job's name, which is also its id.
    public var name: String
    /// Wall-clock time of the first submission (ms since the epoch).
    public var createdAtMs: Int64
    /// Running, stopped or failed.
    public var state: JobState
    /// Why the job failed, when it did.
    public var failure: String?

    /// A job record.
    public init(name: String, createdAtMs: Int64, state: JobState, failure: String? = nil) {
        self.name = name
        self.createdAtMs = createdAtMs
        self.state = state
        self.failure = failure
    }

    func encode() -> [UInt8] {
        var writer = ByteWriter()
        writer.writeInt16String(name)
        writer.writeInteger(createdAtMs)
        writer.writeInt16String(state.rawValue)
        writer.writeInt32Bytes(failure.map { Array($0.utf8) })
        return writer.bytes
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> JobMeta {
        let name = try reader.readInt16String()
        let created = try reader.readInteger(as: Int64.self)
        let stateAt = reader.readerIndex
        let stateText = try reader.readInt16String()
        guard let state = JobState(rawValue: stateText) else {
            throw .invalidValue("unknown job state '\(stateText)'", at: stateAt)
        }
        let failureAt = reader.readerIndex
        let failure = try reader.readNullableInt32Bytes().map { bytes throws(DecodeError) -> String in
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(at: failureAt) }
            return text
        }
        return JobMeta(name: name, createdAtMs: created, state: state, failure: failure)
    }
}

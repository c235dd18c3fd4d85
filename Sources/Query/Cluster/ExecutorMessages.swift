import Wire

/// An executor introduces itself to the driver.
public struct RegisterExecutor: ClusterMessage {
    /// A human-readable name (host and pid), shown in status; not an identity.
    public var name: String
    /// Tasks it runs at once.
    public var slots: Int32
    /// Where other executors fetch its shuffle blocks: host (as advertised) and port.
    public var shuffleHost: String
    /// The shuffle server's port.
    public var shufflePort: UInt16
    /// The executor's process id, for status pages.
    public var pid: Int32

    /// A registration.
    public init(name: String, slots: Int32, shuffleHost: String, shufflePort: UInt16, pid: Int32) {
        self.name = name
        self.slots = slots
        self.shuffleHost = shuffleHost
        self.shufflePort = shufflePort
        self.pid = pid
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(name)
        writer.writeInteger(slots)
        writer.writeInt16String(shuffleHost)
        writer.writeInteger(shufflePort)
        writer.writeInteger(pid)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> RegisterExecutor {
        RegisterExecutor(
            name: try reader.readString(), slots: try reader.readInt32(), shuffleHost: try reader.readString(),
            shufflePort: try reader.readUInt16(), pid: try reader.readInt32())
    }
}

/// The driver's answer to a registration.
public struct ExecutorRegistered: ClusterMessage {
    /// The executor's id for this registration; a reconnect registers anew and gets a new one.
    public var executorId: String
    /// How often to heartbeat.
    public var heartbeatIntervalMs: Int32
    /// The Kafka broker the executor reads sources from, "host:port".
    public var brokerAddress: String

    /// A registration answer.
    public init(executorId: String, heartbeatIntervalMs: Int32, brokerAddress: String) {
        self.executorId = executorId
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.brokerAddress = brokerAddress
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(executorId)
        writer.writeInteger(heartbeatIntervalMs)
        writer.writeInt16String(brokerAddress)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ExecutorRegistered {
        ExecutorRegistered(
            executorId: try reader.readString(), heartbeatIntervalMs: try reader.readInt32(),
            brokerAddress: try reader.readString())
    }
}

/// An executor's periodic sign of life.
public struct ExecutorHeartbeat: ClusterMessage {
    /// Who.
    public var executorId: String
    /// Attempts running right now, so the driver can spot ones it has lost track of.
    public var runningAttemptIds: [UInt64]

    /// A heartbeat.
    public init(executorId: String, runningAttemptIds: [UInt64]) {
        self.executorId = executorId
        self.runningAttemptIds = runningAttemptIds
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(executorId)
        writer.writeInteger(Int32(runningAttemptIds.count))
        for id in runningAttemptIds { writer.writeInteger(id) }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ExecutorHeartbeat {
        let id = try reader.readString()
        let count = try reader.readCount(minElementBytes: 8)
        var attempts: [UInt64] = []
        for _ in 0..<count { attempts.append(try reader.readUInt64()) }
        return ExecutorHeartbeat(executorId: id, runningAttemptIds: attempts)
    }
}

/// An executor says it is shutting down: no new tasks, running ones finish.
public struct ExecutorLeaving: ClusterMessage {
    /// Who.
    public var executorId: String

    /// A leaving notice.
    public init(executorId: String) { self.executorId = executorId }

    public func encode(into writer: inout ByteWriter) { writer.writeInt16String(executorId) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ExecutorLeaving {
        ExecutorLeaving(executorId: try reader.readString())
    }
}

/// The driver no longer wants an attempt.
public struct CancelTask: ClusterMessage {
    /// The attempt.
    public var attemptId: UInt64

    /// A cancellation.
    public init(attemptId: UInt64) { self.attemptId = attemptId }

    public func encode(into writer: inout ByteWriter) { writer.writeInteger(attemptId) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> CancelTask {
        CancelTask(attemptId: try reader.readUInt64())
    }
}

/// Shuffle output of a job's batches up to `batchId` is no longer needed (they committed).
public struct ReleaseShuffle: ClusterMessage {
    /// The job.
    public var jobId: String
    /// The last batch whose blocks may go.
    public var batchId: Int64

    /// A release.
    public init(jobId: String, batchId: Int64) {
        self.jobId = jobId
        self.batchId = batchId
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(jobId)
        writer.writeInteger(batchId)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ReleaseShuffle {
        ReleaseShuffle(jobId: try reader.readString(), batchId: try reader.readInt64())
    }
}

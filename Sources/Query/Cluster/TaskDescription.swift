import Wire

/// One task attempt as the driver ships it to an executor. The job travels as its SQL text, which
/// compiles to the same plan on every process (executors cache the compiled plan per job).
public struct TaskDescription: ClusterMessage {
    /// The scheduler's fencing id of this attempt; results quote it.
    public var attemptId: UInt64
    /// The job.
    public var jobId: String
    /// The job's SQL script.
    public var jobSQL: String
    /// The micro-batch.
    public var batchId: Int64
    /// The stage within the batch (0: map over the source; 1: reduce).
    public var stage: Int32
    /// The task's partition within its stage.
    public var partition: Int32
    /// Which attempt of this task (0-based).
    public var attempt: Int32
    /// The watermark this batch runs with (ms); nil before any event time was seen.
    public var watermarkMs: Int64?
    /// What to run.
    public var work: TaskWork

    /// A task description.
    public init(
        attemptId: UInt64, jobId: String, jobSQL: String, batchId: Int64, stage: Int32, partition: Int32,
        attempt: Int32, watermarkMs: Int64?, work: TaskWork
    ) {
        self.attemptId = attemptId
        self.jobId = jobId
        self.jobSQL = jobSQL
        self.batchId = batchId
        self.stage = stage
        self.partition = partition
        self.attempt = attempt
        self.watermarkMs = watermarkMs
        self.work = work
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(attemptId)
        writer.writeInt16String(jobId)
        writer.writeLongString(jobSQL)
        writer.writeInteger(batchId)
        writer.writeInteger(stage)
        writer.writeInteger(partition)
        writer.writeInteger(attempt)
        writer.writeOptional(watermarkMs) { $0.writeInteger($1) }
        work.encode(into: &writer)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> TaskDescription {
        TaskDescription(
            attemptId: try reader.readUInt64(), jobId: try reader.readString(), jobSQL: try reader.readLongString(),
            batchId: try reader.readInt64(), stage: try reader.readInt32(), partition: try reader.readInt32(),
            attempt: try reader.readInt32(),
            watermarkMs: try reader.readOptional { r throws(DecodeError) in try r.readInt64() },
            work: try TaskWork.decode(from: &reader))
    }
}

/// The two kinds of task.
public enum TaskWork: Sendable, Equatable {
    /// Read `[startOffset, endOffset)` of one source partition, decode, filter, and either
    /// pre-aggregate into shuffle blocks or (stateless jobs) project the sink's rows.
    case map(topic: String, sourcePartition: Int32, startOffset: Int64, endOffset: Int64)
    /// Fetch this partition's shuffle blocks from every map output, merge into state restored at
    /// version `batchId - 1` (or empty when `stateVersion` is nil), emit rows. Ship a full state
    /// snapshot with the delta when `snapshotWanted`.
    case reduce(mapOutputs: [ShuffleBlockSource], stateVersion: Int64?, snapshotWanted: Bool)

    func encode(into writer: inout ByteWriter) {
        switch self {
        case .map(let topic, let partition, let start, let end):
            writer.writeByte(1)
            writer.writeInt16String(topic)
            writer.writeInteger(partition)
            writer.writeInteger(start)
            writer.writeInteger(end)
        case .reduce(let outputs, let version, let snapshot):
            writer.writeByte(2)
            writer.writeInteger(Int32(outputs.count))
            for output in outputs { output.encode(into: &writer) }
            writer.writeOptional(version) { $0.writeInteger($1) }
            writer.writeBool(snapshot)
        }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> TaskWork {
        let at = reader.readerIndex
        switch try reader.readUInt8() {
        case 1:
            return .map(
                topic: try reader.readString(), sourcePartition: try reader.readInt32(),
                startOffset: try reader.readInt64(), endOffset: try reader.readInt64())
        case 2:
            let count = try reader.readCount(minElementBytes: 8)
            var outputs: [ShuffleBlockSource] = []
            for _ in 0..<count { outputs.append(try ShuffleBlockSource.decode(from: &reader)) }
            return .reduce(
                mapOutputs: outputs,
                stateVersion: try reader.readOptional { r throws(DecodeError) in try r.readInt64() },
                snapshotWanted: try reader.readBool())
        case let other:
            throw .invalidValue("unknown task kind \(other)", at: at)
        }
    }
}

/// Where one map task's shuffle output lives.
public struct ShuffleBlockSource: Sendable, Equatable {
    /// The map task's partition.
    public var mapPartition: Int32
    /// The map attempt that wrote the output, echoed in a fetch failure so a report about output
    /// that has since been recomputed is recognised as stale.
    public var mapAttemptId: UInt64
    /// The executor that holds it.
    public var executorId: String
    /// That executor's shuffle server host.
    public var host: String
    /// That executor's shuffle server port.
    public var port: UInt16

    /// A location.
    public init(mapPartition: Int32, mapAttemptId: UInt64, executorId: String, host: String, port: UInt16) {
        self.mapPartition = mapPartition
        self.mapAttemptId = mapAttemptId
        self.executorId = executorId
        self.host = host
        self.port = port
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(mapPartition)
        writer.writeInteger(mapAttemptId)
        writer.writeInt16String(executorId)
        writer.writeInt16String(host)
        writer.writeInteger(port)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> ShuffleBlockSource {
        ShuffleBlockSource(
            mapPartition: try reader.readInt32(), mapAttemptId: try reader.readUInt64(),
            executorId: try reader.readString(), host: try reader.readString(),
            port: try reader.readUInt16())
    }
}

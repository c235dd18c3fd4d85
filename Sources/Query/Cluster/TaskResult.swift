import Wire

/// How a task attempt ended, as the executor reports it to the driver.
public struct TaskResult: ClusterMessage {
    /// The attempt, as in its `TaskDescription`.
    public var attemptId: UInt64
    /// What happened.
    public var outcome: TaskOutcome

    /// A result.
    public init(attemptId: UInt64, outcome: TaskOutcome) {
        self.attemptId = attemptId
        self.outcome = outcome
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(attemptId)
        switch outcome {
        case .map(let report):
            writer.writeByte(1)
            report.encode(into: &writer)
        case .reduce(let report):
            writer.writeByte(2)
            report.encode(into: &writer)
        case .failed(let message, let fetchFailure):
            writer.writeByte(3)
            writer.writeLongString(message)
            writer.writeOptional(fetchFailure) { $1.encode(into: &$0) }
        }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> TaskResult {
        let attemptId = try reader.readUInt64()
        let at = reader.readerIndex
        let outcome: TaskOutcome
        switch try reader.readUInt8() {
        case 1: outcome = .map(try MapTaskReport.decode(from: &reader))
        case 2: outcome = .reduce(try ReduceTaskReport.decode(from: &reader))
        case 3:
            outcome = .failed(
                try reader.readLongString(),
                fetchFailure: try reader.readOptional { r throws(DecodeError) in
                    try ShuffleFetchFailure.decode(from: &r)
                })
        case let other: throw .invalidValue("unknown task outcome \(other)", at: at)
        }
        return TaskResult(attemptId: attemptId, outcome: outcome)
    }
}

/// The end of an attempt.
public enum TaskOutcome: Sendable, Equatable {
    /// A map task succeeded; its shuffle output stays on the executor.
    case map(MapTaskReport)
    /// A reduce task succeeded.
    case reduce(ReduceTaskReport)
    /// The attempt failed; `fetchFailure` when it could not read a map output (not its fault).
    case failed(String, fetchFailure: ShuffleFetchFailure?)
}

/// A reduce attempt could not read a map task's shuffle output.
public struct ShuffleFetchFailure: Sendable, Equatable {
    /// The stage of the map task.
    public var stage: Int32
    /// The map task's partition.
    public var mapPartition: Int32
    /// The map attempt whose output it was (from `ShuffleBlockSource.mapAttemptId`).
    public var mapAttemptId: UInt64
    /// Where the output was expected.
    public var executorId: String

    /// A fetch failure.
    public init(stage: Int32, mapPartition: Int32, mapAttemptId: UInt64, executorId: String) {
        self.stage = stage
        self.mapPartition = mapPartition
        self.mapAttemptId = mapAttemptId
        self.executorId = executorId
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(stage)
        writer.writeInteger(mapPartition)
        writer.writeInteger(mapAttemptId)
        writer.writeInt16String(executorId)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> ShuffleFetchFailure {
        ShuffleFetchFailure(
            stage: try reader.readInt32(), mapPartition: try reader.readInt32(), mapAttemptId: try reader.readUInt64(),
            executorId: try reader.readString())
    }
}

/// What a successful map task tells the driver.
public struct MapTaskReport: Sendable, Equatable {
    /// Records read from the source range.
    public var inputRecords: Int64
    /// Bytes of record values read.
    public var inputBytes: Int64
    /// Rows dropped because their event time was below the watermark.
    public var lateRows: Int64
    /// Smallest and largest event time among the rows that decoded (ms); nil when none had one.
    public var minEventTimeMs: Int64?
    /// See `minEventTimeMs`.
    public var maxEventTimeMs: Int64?
    /// Records that went to the dead-letter topic (late rows included).
    public var deadLetters: [DeadLetter]
    /// The sink's rows, for stateless jobs (they have no reduce stage); nil otherwise.
    public var rows: RecordBatch?

    /// A map report.
    public init(
        inputRecords: Int64, inputBytes: Int64, lateRows: Int64, minEventTimeMs: Int64?, maxEventTimeMs: Int64?,
        deadLetters: [DeadLetter], rows: RecordBatch?
    ) {
        self.inputRecords = inputRecords
        self.inputBytes = inputBytes
        self.lateRows = lateRows
        self.minEventTimeMs = minEventTimeMs
        self.maxEventTimeMs = maxEventTimeMs
        self.deadLetters = deadLetters
        self.rows = rows
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(inputRecords)
        writer.writeInteger(inputBytes)
        writer.writeInteger(lateRows)
        writer.writeOptional(minEventTimeMs) { $0.writeInteger($1) }
        writer.writeOptional(maxEventTimeMs) { $0.writeInteger($1) }
        writer.writeInteger(Int32(deadLetters.count))
        for letter in deadLetters { letter.encode(into: &writer) }
        writer.writeOptional(rows) { $1.encode(into: &$0) }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> MapTaskReport {
        let input = try reader.readInt64()
        let bytes = try reader.readInt64()
        let late = try reader.readInt64()
        let minTime = try reader.readOptional { r throws(DecodeError) in try r.readInt64() }
        let maxTime = try reader.readOptional { r throws(DecodeError) in try r.readInt64() }
        let count = try reader.readCount(minElementBytes: 14)
        var letters: [DeadLetter] = []
        for _ in 0..<count { letters.append(try DeadLetter.decode(from: &reader)) }
        let rows = try reader.readOptional { r throws(DecodeError) in try RecordBatch.decode(from: &r) }
        return MapTaskReport(
            inputRecords: input, inputBytes: bytes, lateRows: late, minEventTimeMs: minTime, maxEventTimeMs: maxTime,
            deadLetters: letters, rows: rows)
    }
}

/// What a successful reduce task tells the driver.
public struct ReduceTaskReport: Sendable, Equatable {
    /// The rows the sink receives from this partition this batch.
    public var rows: RecordBatch
    /// The state change of this batch (version `batchId`), which the driver persists.
    public var stateDelta: [UInt8]
    /// The whole state at version `batchId`, when the task was asked for one.
    public var stateSnapshot: [UInt8]?
    /// Groups in state after the batch.
    public var stateRowsTotal: Int64
    /// Groups that changed in the batch.
    public var stateRowsUpdated: Int64
    /// Groups evicted because the watermark passed them.
    public var stateRowsEvicted: Int64
    /// The state's approximate memory.
    public var stateMemoryBytes: Int64

    /// A reduce report.
    public init(
        rows: RecordBatch, stateDelta: [UInt8], stateSnapshot: [UInt8]?, stateRowsTotal: Int64,
        stateRowsUpdated: Int64, stateRowsEvicted: Int64, stateMemoryBytes: Int64
    ) {
        self.rows = rows
        self.stateDelta = stateDelta
        self.stateSnapshot = stateSnapshot
        self.stateRowsTotal = stateRowsTotal
        self.stateRowsUpdated = stateRowsUpdated
        self.stateRowsEvicted = stateRowsEvicted
        self.stateMemoryBytes = stateMemoryBytes
    }

    func encode(into writer: inout ByteWriter) {
        rows.encode(into: &writer)
        writer.writeInt32Bytes(stateDelta)
        writer.writeOptional(stateSnapshot) { $0.writeInt32Bytes($1) }
        writer.writeInteger(stateRowsTotal)
        writer.writeInteger(stateRowsUpdated)
        writer.writeInteger(stateRowsEvicted)
        writer.writeInteger(stateMemoryBytes)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> ReduceTaskReport {
        ReduceTaskReport(
            rows: try RecordBatch.decode(from: &reader), stateDelta: try reader.readInt32Bytes(),
            stateSnapshot: try reader.readOptional { r throws(DecodeError) in try r.readInt32Bytes() },
            stateRowsTotal: try reader.readInt64(), stateRowsUpdated: try reader.readInt64(),
            stateRowsEvicted: try reader.readInt64(), stateMemoryBytes: try reader.readInt64())
    }
}

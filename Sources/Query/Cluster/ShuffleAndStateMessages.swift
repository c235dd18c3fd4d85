import Wire

/// A reduce task asks an executor for one map output's block for its partition.
public struct ShuffleBlockRequest: ClusterMessage {
    /// The job.
    public var jobId: String
    /// The batch.
    public var batchId: Int64
    /// The map stage.
    public var stage: Int32
    /// The map task's partition.
    public var mapPartition: Int32
    /// The reduce partition whose block is wanted.
    public var reducePartition: Int32

    /// A block request.
    public init(jobId: String, batchId: Int64, stage: Int32, mapPartition: Int32, reducePartition: Int32) {
        self.jobId = jobId
        self.batchId = batchId
        self.stage = stage
        self.mapPartition = mapPartition
        self.reducePartition = reducePartition
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(jobId)
        writer.writeInteger(batchId)
        writer.writeInteger(stage)
        writer.writeInteger(mapPartition)
        writer.writeInteger(reducePartition)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> ShuffleBlockRequest {
        ShuffleBlockRequest(
            jobId: try reader.readString(), batchId: try reader.readInt64(), stage: try reader.readInt32(),
            mapPartition: try reader.readInt32(), reducePartition: try reader.readInt32())
    }
}

/// An executor asks the driver for a state partition at a version it does not hold.
public struct StateRequest: ClusterMessage {
    /// The job.
    public var jobId: String
    /// The state partition (= reduce partition).
    public var partition: Int32
    /// The version wanted (a batch id).
    public var version: Int64

    /// A state request.
    public init(jobId: String, partition: Int32, version: Int64) {
        self.jobId = jobId
        self.partition = partition
        self.version = version
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(jobId)
        writer.writeInteger(partition)
        writer.writeInteger(version)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> StateRequest {
        StateRequest(jobId: try reader.readString(), partition: try reader.readInt32(), version: try reader.readInt64())
    }
}

/// A state partition as persisted: the latest snapshot at or below the wanted version, then
/// every delta after it up to that version, in order. Empty when the state has no versions yet.
public struct StateVersions: ClusterMessage {
    /// The snapshot's version and bytes, if there is one.
    public var snapshot: VersionedBytes?
    /// Deltas after the snapshot, ascending by version, ending at the wanted version.
    public var deltas: [VersionedBytes]

    /// State versions.
    public init(snapshot: VersionedBytes?, deltas: [VersionedBytes]) {
        self.snapshot = snapshot
        self.deltas = deltas
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeOptional(snapshot) { $1.encode(into: &$0) }
        writer.writeInteger(Int32(deltas.count))
        for delta in deltas { delta.encode(into: &writer) }
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> StateVersions {
        let snapshot = try reader.readOptional { r throws(DecodeError) in try VersionedBytes.decode(from: &r) }
        let count = try reader.readCount(minElementBytes: 12)
        var deltas: [VersionedBytes] = []
        for _ in 0..<count { deltas.append(try VersionedBytes.decode(from: &reader)) }
        return StateVersions(snapshot: snapshot, deltas: deltas)
    }
}

/// Bytes of one state version.
public struct VersionedBytes: Sendable, Equatable {
    /// The version (batch id).
    public var version: Int64
    /// The encoded snapshot or delta.
    public var bytes: [UInt8]

    /// Versioned bytes.
    public init(version: Int64, bytes: [UInt8]) {
        self.version = version
        self.bytes = bytes
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(version)
        writer.writeInt32Bytes(bytes)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> VersionedBytes {
        VersionedBytes(version: try reader.readInt64(), bytes: try reader.readInt32Bytes())
    }
}

import Wire

/// The Spate RPC message kinds of a cluster. They live in Query because it is the one module of
/// ours that both the Driver and the Executor import besides Wire and Broker, and task
/// descriptions are Query's stages. Kinds 1–99: executor ↔ driver; 100–149: executor ↔ executor;
/// 150–199: CLI → driver; 200–209: authentication (any connection, before anything else).
public enum ClusterMessageKind: UInt16, Sendable, CaseIterable {
    /// Executor → driver request: `RegisterExecutor` → `ExecutorRegistered`.
    case registerExecutor = 1
    /// Executor → driver one-way, every heartbeat interval: `ExecutorHeartbeat`.
    case heartbeat = 2
    /// Executor → driver request on SIGTERM: `ExecutorLeaving` → empty.
    case executorLeaving = 3
    /// Driver → executor request: `TaskDescription` → `TaskResult` when the attempt ends.
    case launchTask = 4
    /// Driver → executor one-way: `CancelTask`.
    case cancelTask = 5
    /// Driver → executor one-way: `ReleaseShuffle` (shuffle output of committed batches).
    case releaseShuffle = 6
    /// Executor → driver request: `StateRequest` → `StateVersions`.
    case fetchState = 7
    /// Executor → executor request on the shuffle port: `ShuffleBlockRequest` → the block's bytes.
    case fetchShuffleBlock = 100
    /// CLI → driver request: `SubmitJob` → `JobSubmitted`; a bad job is refused with the
    /// compiler's message.
    case submitJob = 150
    /// CLI → driver request: empty → JSON array of jobs.
    case listJobs = 151
    /// CLI → driver request: `JobRequest` → JSON of the job with its recent progress.
    case jobStatus = 152
    /// CLI → driver request: `JobRequest` → empty once the job has stopped.
    case stopJob = 153
    /// Any client → server request: empty → `AuthChallenge` (a nonce).
    case authChallenge = 200
    /// Any client → server request: `AuthProof` → empty, or an error and a closed connection.
    case authProof = 201
}

/// A message of the cluster protocol: encodes itself with Wire and decodes hostile bytes into a
/// typed error, never a trap.
public protocol ClusterMessage: Sendable, Equatable {
    /// Appends the message's encoding.
    func encode(into writer: inout ByteWriter)
    /// Reads one message.
    static func decode(from reader: inout ByteReader) throws(DecodeError) -> Self
}

extension ClusterMessage {
    /// The message encoded on its own.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer)
        return writer.bytes
    }

    /// Decodes a message that fills all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Self {
        var reader = ByteReader(bytes)
        let message = try decode(from: &reader)
        guard reader.readableBytes == 0 else {
            throw .invalidValue("\(reader.readableBytes) bytes after the message", at: reader.readerIndex)
        }
        return message
    }
}

extension ByteReader {
    /// Reads an int32 element count that cannot exceed what the remaining bytes could hold.
    mutating func readCount(minElementBytes: Int = 1) throws(DecodeError) -> Int {
        let at = readerIndex
        guard let count = try readArrayCount(minElementBytes: minElementBytes) else {
            throw .invalidLength(-1, at: at)
        }
        return count
    }

    /// Reads a non-null int16 string.
    mutating func readString() throws(DecodeError) -> String { try readInt16String() }

    /// Reads a one-byte presence flag, then the value when present.
    mutating func readOptional<T>(_ read: (inout ByteReader) throws(DecodeError) -> T) throws(DecodeError) -> T? {
        try readBool() ? try read(&self) : nil
    }
}

extension ByteWriter {
    /// Writes a one-byte presence flag, then the value when present.
    mutating func writeOptional<T>(_ value: T?, _ write: (inout ByteWriter, T) -> Void) {
        writeBool(value != nil)
        if let value { write(&self, value) }
    }

    /// Writes a string long strings included: int32 length then UTF-8.
    mutating func writeLongString(_ text: String) { writeInt32Bytes(Array(text.utf8)) }
}

extension ByteReader {
    /// Reads a string written by `writeLongString`.
    mutating func readLongString() throws(DecodeError) -> String {
        let at = readerIndex
        let bytes = try readInt32Bytes()
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(at: at) }
        return text
    }
}

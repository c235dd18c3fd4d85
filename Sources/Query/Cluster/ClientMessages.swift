import Wire

/// `spate submit`: a job's SQL, checked by the driver's compiler before anything starts.
public struct SubmitJob: ClusterMessage {
    /// The job's name (`--name`), or nil to derive one from the file name.
    public var name: String?
    /// The SQL script.
    public var sql: String
    /// The file the script came from, for error messages (`pv_uv.sql:3:8: ...`).
    public var fileName: String

    /// A submission.
    public init(name: String?, sql: String, fileName: String) {
        self.name = name
        self.sql = sql
        self.fileName = fileName
    }

    public func encode(into writer: inout ByteWriter) {
        writer.writeOptional(name) { $0.writeInt16String($1) }
        writer.writeLongString(sql)
        writer.writeInt16String(fileName)
    }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SubmitJob {
        SubmitJob(
            name: try reader.readOptional { r throws(DecodeError) in try r.readString() },
            sql: try reader.readLongString(),
            fileName: try reader.readString())
    }
}

/// The driver accepted a job.
public struct JobSubmitted: ClusterMessage {
    /// The job's id, for `spate status` and `spate stop`.
    public var jobId: String

    /// An acceptance.
    public init(jobId: String) { self.jobId = jobId }

    public func encode(into writer: inout ByteWriter) { writer.writeInt16String(jobId) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> JobSubmitted {
        JobSubmitted(jobId: try reader.readString())
    }
}

/// Names one job, for `status` and `stop`.
public struct JobRequest: ClusterMessage {
    /// The job's id (or its unique name).
    public var jobId: String

    /// A job request.
    public init(jobId: String) { self.jobId = jobId }

    public func encode(into writer: inout ByteWriter) { writer.writeInt16String(jobId) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> JobRequest {
        JobRequest(jobId: try reader.readString())
    }
}

/// The server's random challenge; the client proves it knows the shared secret by answering
/// HMAC-SHA256(secret, nonce).
public struct AuthChallenge: ClusterMessage {
    /// 32 random bytes, never reused.
    public var nonce: [UInt8]

    /// A challenge.
    public init(nonce: [UInt8]) { self.nonce = nonce }

    public func encode(into writer: inout ByteWriter) { writer.writeInt32Bytes(nonce) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> AuthChallenge {
        AuthChallenge(nonce: try reader.readInt32Bytes())
    }
}

/// The client's answer to an `AuthChallenge`.
public struct AuthProof: ClusterMessage {
    /// HMAC-SHA256(secret, nonce).
    public var mac: [UInt8]

    /// A proof.
    public init(mac: [UInt8]) { self.mac = mac }

    public func encode(into writer: inout ByteWriter) { writer.writeInt32Bytes(mac) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> AuthProof {
        AuthProof(mac: try reader.readInt32Bytes())
    }
}

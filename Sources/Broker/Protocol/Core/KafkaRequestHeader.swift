import Wire

/// The three fields at fixed offsets 0, 2 and 4 of every request frame, in every header version.
/// The broker reads them before anything else so it can answer a request it cannot parse.
public struct RequestPrefix: Equatable, Hashable, Sendable {
    /// Raw api key, possibly one Spate does not know.
    public var apiKey: Int16
    /// Requested version, possibly unsupported.
    public var apiVersion: Int16
    /// Echoed in the response header.
    public var correlationId: Int32

    /// A prefix from its three fields.
    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
    }

    /// Bytes the prefix occupies at the start of a frame.
    public static let byteCount = 8

    /// Reads the prefix of `frame` (header + body, without the size prefix) without parsing further.
    public static func peek(_ frame: [UInt8]) throws(DecodeError) -> RequestPrefix {
        let reader = ByteReader(frame)
        return RequestPrefix(
            apiKey: try reader.getInteger(at: 0),
            apiVersion: try reader.getInteger(at: 2),
            correlationId: try reader.getInteger(at: 4))
    }
}

/// A request header, v1 or v2 (KAFKA-PROTOCOL.md G13).
///
/// v1: api_key, api_version, correlation_id, client_id (int16 NULLABLE_STRING).
/// v2 (flexible requests) appends a tagged-field section; client_id stays a classic int16 string.
public struct KafkaRequestHeader: Equatable, Sendable {
    /// Raw api key.
    public var apiKey: Int16
    /// Version of the body that follows.
    public var apiVersion: Int16
    /// Echoed in the response header.
    public var correlationId: Int32
    /// The client's self-chosen name, or nil.
    public var clientId: String?

    /// A header from its fields.
    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// A header for `version` of `key`.
    public init(_ key: ApiKey, version: Int16, correlationId: Int32, clientId: String?) {
        self.init(apiKey: key.rawValue, apiVersion: version, correlationId: correlationId, clientId: clientId)
    }

    /// The three fixed-offset fields.
    public var prefix: RequestPrefix {
        RequestPrefix(apiKey: apiKey, apiVersion: apiVersion, correlationId: correlationId)
    }

    /// Header version implied by the api key and version: 2 for flexible requests, else 1.
    /// Unknown api keys are read as v1, the only layout they can be assumed to share.
    public var headerVersion: Int16 { ApiKey(rawValue: apiKey)?.requestHeaderVersion(apiVersion) ?? 1 }

    /// Reads a header, choosing v1 or v2 from its own api key and version.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> KafkaRequestHeader {
        var header = KafkaRequestHeader(
            apiKey: try reader.readInt16(),
            apiVersion: try reader.readInt16(),
            correlationId: try reader.readInt32(),
            clientId: nil)
        header.clientId = try reader.readNullableInt16String()
        if header.headerVersion >= 2 { try reader.skipTaggedFields() }
        return header
    }

    /// Writes the header in the version its api key and version imply.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInteger(apiKey)
        writer.writeInteger(apiVersion)
        writer.writeInteger(correlationId)
        writer.writeInt16String(clientId)
        if headerVersion >= 2 { writer.writeEmptyTaggedFields() }
    }
}

/// A response header: v0 is the correlation id; v1 (flexible responses except ApiVersions)
/// appends an empty tagged-field section.
public enum KafkaResponseHeader {
    /// Writes the header for `version` of `key`.
    public static func encode(correlationId: Int32, apiKey: ApiKey, version: Int16, into writer: inout ByteWriter) {
        writer.writeInteger(correlationId)
        if apiKey.responseHeaderVersion(version) >= 1 { writer.writeEmptyTaggedFields() }
    }

    /// Reads the header for `version` of `key` and returns its correlation id.
    public static func decode(from reader: inout ByteReader, apiKey: ApiKey, version: Int16) throws(DecodeError)
        -> Int32
    {
        let correlationId = try reader.readInt32()
        if apiKey.responseHeaderVersion(version) >= 1 { try reader.skipTaggedFields() }
        return correlationId
    }

    /// The correlation id at offset 0 of a response frame (without the size prefix), for matching
    /// a response to its pending request before knowing how to parse the rest.
    public static func peekCorrelationId(_ frame: [UInt8]) throws(DecodeError) -> Int32 {
        try ByteReader(frame).getInteger(at: 0)
    }
}

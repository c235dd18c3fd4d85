import Wire

// ApiVersions (key 18). v0–2 have an empty request; v3+ are flexible: the request names the client
// software and the response uses compact arrays and tagged fields, yet keeps response header v0.
// A broker that does not support the requested version answers in the v0 layout with error 35
// (KAFKA-PROTOCOL.md §2, G5). So an error-35 response is encoded and decoded in the v0 layout
// whatever version is asked for: a flexible error reply would be misread by kafka-python.

/// ApiVersions request: the first request on every connection.
public struct ApiVersionsRequest: KafkaRequestMessage {
    public typealias Response = ApiVersionsResponse
    public static let apiKey = ApiKey.apiVersions

    /// Client library name (v3+), e.g. "kafka-python".
    public var clientSoftwareName: String
    /// Client library version (v3+).
    public var clientSoftwareVersion: String

    /// A request; the software fields only travel in v3+.
    public init(clientSoftwareName: String = "", clientSoftwareVersion: String = "") {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        var request = ApiVersionsRequest()
        if version >= 3 {
            request.clientSoftwareName = try reader.readNonNullCompactString()
            request.clientSoftwareVersion = try reader.readNonNullCompactString()
            try reader.skipTaggedFields()
        }
        return request
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        if version >= 3 {
            writer.writeCompactString(clientSoftwareName)
            writer.writeCompactString(clientSoftwareVersion)
            writer.writeEmptyTaggedFields()
        }
    }
}

/// ApiVersions response: the broker's supported version range per API.
public struct ApiVersionsResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.apiVersions

    public var errorCode: KafkaErrorCode
    /// Supported ranges, ordered by api key.
    public var apiKeys: [ApiVersionRange]
    /// v1+.
    public var throttleTimeMs: Int32

    /// A response; `throttleTimeMs` only travels in v1+.
    public init(errorCode: KafkaErrorCode = .noError, apiKeys: [ApiVersionRange], throttleTimeMs: Int32 = 0) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
    }

    /// The success reply advertising `table`.
    public init(table: ApiVersionTable) {
        self.init(apiKeys: table.entries)
    }

    /// The reply to an ApiVersions version the broker does not support, as Apache Kafka sends it:
    /// error 35 and only the ApiVersions range; it encodes in the v0 layout at any version.
    public static func unsupportedVersion(table: ApiVersionTable) -> ApiVersionsResponse {
        let own = table.entries.filter { $0.apiKey == ApiKey.apiVersions.rawValue }
        return ApiVersionsResponse(errorCode: .unsupportedVersion, apiKeys: own)
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        let errorCode = KafkaErrorCode(rawValue: try reader.getInteger(at: reader.readerIndex))
        // A broker refusing our version replies in the v0 layout whatever version we sent
        // (Kafka's client falls back the same way), so read error 35 replies as v0.
        let layout = errorCode == .unsupportedVersion ? 0 : version
        return layout >= 3 ? try decodeFlexible(from: &reader) : try decodeClassic(from: &reader, version: layout)
    }

    private static func decodeClassic(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        let errorCode = try reader.readErrorCode()
        let apiKeys = try reader.readKafkaArray(minElementBytes: 6) { reader throws(DecodeError) in
            ApiVersionRange(
                apiKey: try reader.readInt16(), minVersion: try reader.readInt16(), maxVersion: try reader.readInt16())
        }
        let throttleTimeMs = version >= 1 ? try reader.readInt32() : 0
        return ApiVersionsResponse(errorCode: errorCode, apiKeys: apiKeys, throttleTimeMs: throttleTimeMs)
    }

    private static func decodeFlexible(from reader: inout ByteReader) throws(DecodeError) -> Self {
        let errorCode = try reader.readErrorCode()
        let at = reader.readerIndex
        let apiKeys = try reader.readCompactKafkaArray(minElementBytes: 7) { reader throws(DecodeError) in
            let range = ApiVersionRange(
                apiKey: try reader.readInt16(), minVersion: try reader.readInt16(), maxVersion: try reader.readInt16())
            try reader.skipTaggedFields()
            return range
        }
        guard let apiKeys else { throw .invalidLength(-1, at: at) }
        let throttleTimeMs = try reader.readInt32()
        // Feature tags (supported/finalized features) are not used by Spate.
        try reader.skipTaggedFields()
        return ApiVersionsResponse(errorCode: errorCode, apiKeys: apiKeys, throttleTimeMs: throttleTimeMs)
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        let layout = errorCode == .unsupportedVersion ? 0 : version
        writer.writeErrorCode(errorCode)
        if layout >= 3 {
            writer.writeCompactKafkaArray(apiKeys) { writer, range in
                range.encodeFields(into: &writer)
                writer.writeEmptyTaggedFields()
            }
            writer.writeInteger(throttleTimeMs)
            writer.writeEmptyTaggedFields()
            return
        }
        writer.writeKafkaArray(apiKeys) { writer, range in range.encodeFields(into: &writer) }
        if layout >= 1 { writer.writeInteger(throttleTimeMs) }
    }
}

extension ApiVersionRange {
    fileprivate func encodeFields(into writer: inout ByteWriter) {
        writer.writeInteger(apiKey)
        writer.writeInteger(minVersion)
        writer.writeInteger(maxVersion)
    }
}

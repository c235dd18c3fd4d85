import Wire

/// A request or response body of one Kafka API, encodable and decodable at every version in
/// `Self.apiKey.codecVersions`. Fields a version lacks are skipped on encode and take their
/// schema default on decode.
public protocol KafkaMessage: Equatable, Sendable {
    /// The API this body belongs to.
    static var apiKey: ApiKey { get }

    /// Decodes the body at `version`; throws on truncated or malformed input, never traps.
    static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self

    /// Encodes the body at `version`, which must lie in `Self.apiKey.codecVersions`.
    func encode(into writer: inout ByteWriter, version: Int16)
}

/// A request body, tied to the response body that answers it.
public protocol KafkaRequestMessage: KafkaMessage {
    /// The response body type for this request.
    associatedtype Response: KafkaResponseMessage
}

/// A response body.
public protocol KafkaResponseMessage: KafkaMessage {}

extension KafkaMessage {
    /// Refuses a version the codec has no layout for, so a decoder never guesses at fields.
    static func checkDecodable(_ version: Int16, at reader: ByteReader) throws(DecodeError) {
        guard apiKey.codecVersions.contains(version) else {
            throw .invalidValue(
                "\(apiKey) v\(version) is outside codec versions \(apiKey.codecVersions)",
                at: reader.readerIndex)
        }
    }

    /// Encoding a version without a layout is a caller bug: the version must come from negotiation.
    static func requireEncodable(_ version: Int16) {
        precondition(apiKey.codecVersions.contains(version), "\(apiKey) v\(version) has no codec layout")
    }

    /// The body alone, encoded at `version`.
    public func encoded(version: Int16) -> [UInt8] {
        var writer = ByteWriter()
        encode(into: &writer, version: version)
        return writer.bytes
    }

    /// Decodes a whole body from `bytes`, refusing any bytes left over.
    public static func decode(bytes: [UInt8], version: Int16) throws(DecodeError) -> Self {
        var reader = ByteReader(bytes)
        let message = try decode(from: &reader, version: version)
        guard reader.isAtEnd else {
            throw .invalidValue("\(reader.readableBytes) unread bytes after \(Self.self)", at: reader.readerIndex)
        }
        return message
    }
}

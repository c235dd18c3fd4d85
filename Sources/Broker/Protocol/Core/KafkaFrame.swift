import Wire

/// Whole frames as they go on the socket: int32 size, header, body.
public enum KafkaFrame {
    /// The 4-byte size prefix in front of every frame.
    public static let sizePrefixBytes = 4

    /// A request frame **with** its size prefix, as a client sends it.
    public static func request<Message: KafkaRequestMessage>(
        _ message: Message, version: Int16, correlationId: Int32, clientId: String?
    ) -> [UInt8] {
        let header = KafkaRequestHeader(
            Message.apiKey, version: version, correlationId: correlationId, clientId: clientId)
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        header.encode(into: &writer)
        message.encode(into: &writer, version: version)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// A request frame for any `KafkaRequest`, **with** its size prefix.
    public static func request(_ request: KafkaRequest, version: Int16, correlationId: Int32, clientId: String?)
        -> [UInt8]
    {
        let header = KafkaRequestHeader(
            request.apiKey, version: version, correlationId: correlationId, clientId: clientId)
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        header.encode(into: &writer)
        request.encode(into: &writer, version: version)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// A response frame **with** its size prefix, as the broker sends it.
    public static func response<Message: KafkaResponseMessage>(
        _ message: Message, version: Int16, correlationId: Int32
    ) -> [UInt8] {
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        KafkaResponseHeader.encode(
            correlationId: correlationId, apiKey: Message.apiKey, version: version, into: &writer)
        message.encode(into: &writer, version: version)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// A response frame for any `KafkaResponse`, **with** its size prefix.
    public static func response(_ response: KafkaResponse, version: Int16, correlationId: Int32) -> [UInt8] {
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        KafkaResponseHeader.encode(
            correlationId: correlationId, apiKey: response.apiKey, version: version, into: &writer)
        response.encode(into: &writer, version: version)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// The reply to an ApiVersions request at a version outside `table` (§2, G5): header v0 and
    /// the v0 body with error 35 and ApiVersions' own range, **with** its size prefix.
    public static func apiVersionsUnsupported(correlationId: Int32, table: ApiVersionTable = .recommended) -> [UInt8] {
        response(ApiVersionsResponse.unsupportedVersion(table: table), version: 0, correlationId: correlationId)
    }

    /// Decodes a response frame (header + body, **without** the size prefix) of `Message` at
    /// `version`; bytes after the body are refused, since a response must match its layout.
    public static func decodeResponse<Message: KafkaResponseMessage>(
        _ type: Message.Type, frame: [UInt8], version: Int16
    ) throws(DecodeError) -> (correlationId: Int32, response: Message) {
        var reader = ByteReader(frame)
        let correlationId = try KafkaResponseHeader.decode(from: &reader, apiKey: Message.apiKey, version: version)
        let message = try Message.decode(from: &reader, version: version)
        guard reader.isAtEnd else {
            throw .invalidValue("\(reader.readableBytes) unread bytes after \(Message.self)", at: reader.readerIndex)
        }
        return (correlationId, message)
    }
}

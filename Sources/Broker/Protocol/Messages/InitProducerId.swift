import Wire

// InitProducerId (key 22), v0–1: both versions share one layout (v1 only changed throttling
// semantics). Mandatory for kafka-python's default idempotent producer (G4).

/// InitProducerId request: asks for a producer id and epoch.
public struct InitProducerIdRequest: KafkaRequestMessage {
    public typealias Response = InitProducerIdResponse
    public static let apiKey = ApiKey.initProducerId

    /// Nil for an idempotent (non-transactional) producer.
    public var transactionalId: String?
    public var transactionTimeoutMs: Int32

    /// A request.
    public init(transactionalId: String? = nil, transactionTimeoutMs: Int32) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        return InitProducerIdRequest(
            transactionalId: try reader.readNullableInt16String(), transactionTimeoutMs: try reader.readInt32())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInt16String(transactionalId)
        writer.writeInteger(transactionTimeoutMs)
    }
}

/// InitProducerId response: the producer id and epoch to stamp on batches.
public struct InitProducerIdResponse: KafkaResponseMessage {
    public static let apiKey = ApiKey.initProducerId

    public var throttleTimeMs: Int32
    public var errorCode: KafkaErrorCode
    public var producerId: Int64
    public var producerEpoch: Int16

    /// A response.
    public init(
        throttleTimeMs: Int32 = 0, errorCode: KafkaErrorCode = .noError, producerId: Int64, producerEpoch: Int16
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.producerId = producerId
        self.producerEpoch = producerEpoch
    }

    public static func decode(from reader: inout ByteReader, version: Int16) throws(DecodeError) -> Self {
        try checkDecodable(version, at: reader)
        return InitProducerIdResponse(
            throttleTimeMs: try reader.readInt32(), errorCode: try reader.readErrorCode(),
            producerId: try reader.readInt64(), producerEpoch: try reader.readInt16())
    }

    public func encode(into writer: inout ByteWriter, version: Int16) {
        Self.requireEncodable(version)
        writer.writeInteger(throttleTimeMs)
        writer.writeErrorCode(errorCode)
        writer.writeInteger(producerId)
        writer.writeInteger(producerEpoch)
    }
}

/// One received frame: its validated header and its body (whose CRC has been checked).
public struct RPCFrame: Sendable, Equatable {
    /// The validated header.
    public var header: RPCFrameHeader
    /// The body bytes.
    public var body: [UInt8]

    /// A frame from its parts.
    public init(header: RPCFrameHeader, body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// Encodes header and body into one contiguous frame (small frames; large bodies go out unjoined).
    public static func encode(
        type: RPCFrameType, messageKind: UInt16 = 0, correlationId: UInt64 = 0, body: [UInt8] = [], flags: UInt16 = 0
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: RPCFrameHeader.byteCount + body.count)
        header(type: type, messageKind: messageKind, correlationId: correlationId, body: body, flags: flags)
            .encode(into: &writer)
        writer.writeBytes(body)
        return writer.bytes
    }

    /// The header describing `body`, its CRC computed unless `flags` says it is omitted.
    public static func header(
        type: RPCFrameType, messageKind: UInt16, correlationId: UInt64, body: [UInt8], flags: UInt16 = 0
    ) -> RPCFrameHeader {
        let omitted = flags & RPCFrameHeader.flagBodyChecksumOmitted != 0
        return RPCFrameHeader(
            type: type, messageKind: messageKind, correlationId: correlationId, bodyLength: UInt32(body.count),
            bodyCRC: omitted ? 0 : CRC32C.checksum(body), flags: flags)
    }
}

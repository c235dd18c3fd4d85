/// What a Spate RPC frame carries; the receiver routes on it before looking at the body.
public enum RPCFrameType: UInt8, Sendable, CaseIterable {
    /// Client's first frame: the protocol versions it speaks.
    case hello = 1
    /// Server's answer to `hello`: the chosen version.
    case helloAck = 2
    /// A call that expects exactly one `response` or `error` with the same correlation id.
    case request = 3
    /// The successful answer to a `request`.
    case response = 4
    /// A failed answer to a `request`, or a connection-level complaint (correlation id 0).
    case error = 5
    /// A message that expects no answer (heartbeats).
    case oneWay = 6
    /// "I am closing after what I already sent": the clean-close signal, either direction.
    case goodbye = 7
}

/// The fixed 32-byte header in front of every Spate RPC frame (all fields big-endian):
///
///     0 magic u32 "SPTE" | 4 version u8 | 5 type u8 | 6 flags u16 | 8 messageKind u16 | 10 reserved u16
///     12 correlationId u64 | 20 bodyLength u32 | 24 bodyCRC32C u32 | 28 headerCRC32C u32 (over bytes 0..<28)
public struct RPCFrameHeader: Equatable, Sendable {
    /// "SPTE": lets a peer that is not Spate (an HTTP client, a Kafka client) be refused at once.
    public static let magic: UInt32 = 0x5350_5445
    /// Encoded size of the header.
    public static let byteCount = 32
    /// The frame format version this code writes and reads.
    public static let currentVersion: UInt8 = 1

    /// Frame format version.
    public var version: UInt8
    /// Routing class of the frame.
    public var type: RPCFrameType
    /// Bit set: `flagBodyChecksumOmitted`; other bits are reserved and zero.
    public var flags: UInt16

    /// The sender left `bodyCRC` zero because the payload carries its own end-to-end checksum
    /// (a Kafka record batch, a checksummed shuffle block); the receiver skips verification.
    public static let flagBodyChecksumOmitted: UInt16 = 0x0001

    /// True when the body's CRC was computed and must be verified.
    public var bodyChecksummed: Bool { flags & Self.flagBodyChecksumOmitted == 0 }
    /// Which handler a request or one-way message is for.
    public var messageKind: UInt16
    /// Pairs a response with its request; 0 for frames that are not part of a call.
    public var correlationId: UInt64
    /// Bytes of body after the header.
    public var bodyLength: UInt32
    /// CRC32C of the body.
    public var bodyCRC: UInt32

    /// A header for a body whose CRC the caller computed.
    public init(
        type: RPCFrameType, messageKind: UInt16 = 0, correlationId: UInt64 = 0, bodyLength: UInt32 = 0,
        bodyCRC: UInt32 = 0, flags: UInt16 = 0, version: UInt8 = RPCFrameHeader.currentVersion
    ) {
        self.version = version
        self.type = type
        self.flags = flags
        self.messageKind = messageKind
        self.correlationId = correlationId
        self.bodyLength = bodyLength
        self.bodyCRC = bodyCRC
    }

    /// Appends the 32 encoded bytes, header CRC included.
    public func encode(into writer: inout ByteWriter) {
        let start = writer.count
        writer.writeInteger(Self.magic)
        writer.writeInteger(version)
        writer.writeInteger(type.rawValue)
        writer.writeInteger(flags)
        writer.writeInteger(messageKind)
        writer.writeInteger(UInt16(0))
        writer.writeInteger(correlationId)
        writer.writeInteger(bodyLength)
        writer.writeInteger(bodyCRC)
        writer.writeInteger(CRC32C.checksum(writer.bytes, range: start..<start + 28))
    }

    /// Decodes and validates a header from the `byteCount` bytes at `offset` of `bytes`.
    public static func decode(_ bytes: [UInt8], at offset: Int, frameBytesMax: Int) throws(RPCFrameError) -> Self {
        precondition(offset >= 0 && offset + byteCount <= bytes.count, "header decode needs 32 bytes")
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(RPCFrameError) in
                try decode(
                    UnsafeRawBufferPointer(rebasing: raw[offset..<offset + byteCount]), frameBytesMax: frameBytesMax)
            }
        }.get()
    }

    /// Decodes and validates a header from exactly `byteCount` bytes of raw memory.
    public static func decode(_ raw: UnsafeRawBufferPointer, frameBytesMax: Int) throws(RPCFrameError) -> Self {
        precondition(raw.count == byteCount, "header decode needs exactly 32 bytes")
        func load<T: FixedWidthInteger>(_ at: Int, _ type: T.Type) -> T {
            T(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self))
        }
        let magic = load(0, UInt32.self)
        guard magic == Self.magic else { throw .badMagic(magic) }
        let crcExpected = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<28]))
        let crcFound = load(28, UInt32.self)
        guard crcExpected == crcFound else { throw .headerChecksum(expected: crcExpected, found: crcFound) }
        let version = load(4, UInt8.self)
        guard version == currentVersion else { throw .unsupportedFrameVersion(version) }
        guard let type = RPCFrameType(rawValue: load(5, UInt8.self)) else {
            throw .unknownFrameType(load(5, UInt8.self))
        }
        let bodyLength = load(20, UInt32.self)
        guard Int(bodyLength) <= frameBytesMax - byteCount else {
            throw .frameTooLarge(bytes: Int(bodyLength) + byteCount, limit: frameBytesMax)
        }
        return Self(
            type: type, messageKind: load(8, UInt16.self), correlationId: load(12, UInt64.self),
            bodyLength: bodyLength, bodyCRC: load(24, UInt32.self), flags: load(6, UInt16.self), version: version)
    }
}

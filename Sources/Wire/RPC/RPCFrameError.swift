/// Why a frame was refused. Errors about the header lose the frame boundary, so the connection must
/// close; a bad body is skipped whole and the connection goes on.
public enum RPCFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case badMagic(UInt32)
    case headerChecksum(expected: UInt32, found: UInt32)
    case unsupportedFrameVersion(UInt8)
    case unknownFrameType(UInt8)
    case frameTooLarge(bytes: Int, limit: Int)
    case bodyChecksum(RPCFrameHeader, expected: UInt32, found: UInt32)

    /// True when the stream is still aligned on a frame boundary after this error.
    public var isRecoverable: Bool {
        if case .bodyChecksum = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .badMagic(let magic):
            return "bad frame magic 0x\(String(magic, radix: 16)); the peer does not speak Spate RPC"
        case .headerChecksum(let expected, let found):
            return "frame header checksum mismatch (computed \(expected), frame says \(found))"
        case .unsupportedFrameVersion(let version):
            return "unsupported frame version \(version); this build speaks \(RPCFrameHeader.currentVersion)"
        case .unknownFrameType(let type): return "unknown frame type \(type)"
        case .frameTooLarge(let bytes, let limit): return "frame of \(bytes) bytes exceeds the limit of \(limit)"
        case .bodyChecksum(let header, let expected, let found):
            return "frame body checksum mismatch for correlation id \(header.correlationId) "
                + "(computed \(expected), frame says \(found))"
        }
    }
}

import Glibc
import Wire

/// The envelope of every checkpoint file: format version first, then what the file holds, the
/// body's length and CRC32C, then the body. Reading checks all four, so a torn, truncated or
/// foreign file is refused with a typed error instead of being half believed.
enum CheckpointFile {
    /// The one format version this build writes and reads.
    static let formatVersion: UInt16 = 1
    /// Bytes before the body: version u16, kind u8, length u32, crc u32.
    static let headerBytes = 11
    /// A body larger than this is refused on read (state snapshots are the largest files).
    static let bodyBytesMax = 1 << 30

    /// What a file holds; checked on read so a file in the wrong place is caught.
    enum Kind: UInt8 {
        case meta = 1
        case offsets = 2
        case commit = 3
        case stateDelta = 4
        case stateSnapshot = 5
    }

    /// The file's bytes: header then `body`.
    static func encode(_ kind: Kind, body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter(capacity: headerBytes + body.count)
        writer.writeInteger(formatVersion)
        writer.writeInteger(kind.rawValue)
        writer.writeInteger(UInt32(body.count))
        writer.writeInteger(CRC32C.checksum(body))
        writer.writeBytes(body)
        return writer.bytes
    }

    /// The body of `bytes` read from `path`, after checking version, kind, length and checksum.
    static func decode(_ bytes: [UInt8], kind: Kind, path: String) throws(CheckpointError) -> [UInt8] {
        var reader = ByteReader(bytes)
        guard bytes.count >= headerBytes, let version = try? reader.readUInt16(), let found = try? reader.readUInt8(),
            let length = try? reader.readUInt32(), let checksum = try? reader.readUInt32()
        else { throw .truncated(path: path) }
        guard version == formatVersion else {
            throw .unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        guard found == kind.rawValue else { throw .wrongKind(path: path, found: found, expected: kind.rawValue) }
        guard Int(length) <= bodyBytesMax else { throw .malformed(path: path, reason: "body of \(length) bytes") }
        guard reader.readableBytes >= Int(length) else { throw .truncated(path: path) }
        guard reader.readableBytes == Int(length) else {
            throw .malformed(path: path, reason: "\(reader.readableBytes - Int(length)) bytes after the body")
        }
        let body = reader.readRemainingBytes()
        guard CRC32C.checksum(body) == checksum else { throw .checksumMismatch(path: path) }
        return body
    }

    /// Writes `body` as a `kind` file at `path`: temporary name, fsync, rename, fsync the directory.
    static func write(_ kind: Kind, body: [UInt8], to path: String) throws(CheckpointError) {
        do throws(PosixError) {
            try Posix.writeFileAtomically(path, encode(kind, body: body))
        } catch {
            throw .io(error)
        }
    }

    /// Reads and checks the `kind` file at `path`.
    static func read(_ kind: Kind, from path: String) throws(CheckpointError) -> [UInt8] {
        let bytes: [UInt8]
        do throws(PosixError) {
            bytes = try Posix.readFile(path)
        } catch {
            if error.errno == ENOENT { throw .missing(path: path) }
            throw .io(error)
        }
        return try decode(bytes, kind: kind, path: path)
    }

    /// Decodes a body with `decode`, turning a decoder error into `.malformed` naming the file.
    static func parse<T>(_ body: [UInt8], path: String, _ decode: (inout ByteReader) throws(DecodeError) -> T)
        throws(CheckpointError) -> T
    {
        var reader = ByteReader(body)
        let value: T
        do throws(DecodeError) {
            value = try decode(&reader)
        } catch {
            throw .malformed(path: path, reason: error.description)
        }
        guard reader.isAtEnd else {
            throw .malformed(path: path, reason: "\(reader.readableBytes) bytes after the record")
        }
        return value
    }
}

/// The version handshake: the client's `hello` names the protocol versions it speaks, the server's
/// `helloAck` names the one chosen (the highest both speak) or an error frame refuses the connection.
enum RPCHandshake {
    /// Protocol versions this build speaks.
    static let versions: ClosedRange<UInt16> = 1...1

    struct Hello: Equatable {
        var versions: ClosedRange<UInt16>
        var name: String
    }

    static func encodeHello(_ hello: Hello) -> [UInt8] {
        var writer = ByteWriter(capacity: 8 + hello.name.utf8.count)
        writer.writeInteger(hello.versions.lowerBound)
        writer.writeInteger(hello.versions.upperBound)
        writer.writeInt16String(String(hello.name.utf8.prefix(256)) ?? "")
        return writer.bytes
    }

    static func decodeHello(_ body: [UInt8]) throws(DecodeError) -> Hello {
        var reader = ByteReader(body)
        let low = try reader.readUInt16()
        let high = try reader.readUInt16()
        guard low <= high else { throw .invalidValue("version range \(low)-\(high)", at: 0) }
        return Hello(versions: low...high, name: try reader.readInt16String())
    }

    static func encodeAck(version: UInt16, name: String) -> [UInt8] {
        var writer = ByteWriter(capacity: 4 + name.utf8.count)
        writer.writeInteger(version)
        writer.writeInt16String(String(name.utf8.prefix(256)) ?? "")
        return writer.bytes
    }

    static func decodeAck(_ body: [UInt8]) throws(DecodeError) -> (version: UInt16, name: String) {
        var reader = ByteReader(body)
        return (try reader.readUInt16(), try reader.readInt16String())
    }

    /// The version to use with a peer that speaks `theirs`, or nil if none is shared.
    static func choose(_ theirs: ClosedRange<UInt16>) -> UInt16? {
        let low = max(theirs.lowerBound, versions.lowerBound)
        let high = min(theirs.upperBound, versions.upperBound)
        return low <= high ? high : nil
    }
}

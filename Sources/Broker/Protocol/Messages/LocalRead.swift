import Wire

// SpateLocalRead (key 32000, far outside Kafka's range, v0 only, never advertised in ApiVersions):
// a Fetch of one partition answered with where its batches lie in the broker's segment files
// instead of the bytes, for a reader sharing the broker's filesystem. Non-flexible layout, request
// header v1, response header v0, so the client's framing and correlation matching apply unchanged.

/// The wire constants of Spate's local-read request.
public enum LocalReadApi {
    /// Api key in the request header; Kafka brokers close the connection on it.
    public static let apiKey: Int16 = 32000
    /// The one version.
    public static let version: Int16 = 0
}

/// Asks where the whole batches of one partition from `fetchOffset` lie: Fetch's cut rules, at
/// most `maxBytes` except that the first batch always goes.
public struct LocalReadRequest: Equatable, Sendable {
    /// The topic to read.
    public var topic: String
    /// Its partition.
    public var partition: Int32
    /// The first offset wanted (its batch is included whole).
    public var fetchOffset: Int64
    /// Most bytes of batches to locate; the first batch goes even when larger.
    public var maxBytes: Int32

    /// A request for `topic`/`partition` from `fetchOffset`.
    public init(topic: String, partition: Int32, fetchOffset: Int64, maxBytes: Int32) {
        self.topic = topic
        self.partition = partition
        self.fetchOffset = fetchOffset
        self.maxBytes = maxBytes
    }

    /// The body alone.
    public func encode(into writer: inout ByteWriter) {
        writer.writeInt16String(topic)
        writer.writeInteger(partition)
        writer.writeInteger(fetchOffset)
        writer.writeInteger(maxBytes)
    }

    /// Reads a body; throws on truncated or malformed input.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> LocalReadRequest {
        LocalReadRequest(
            topic: try reader.readInt16String(), partition: try reader.readInt32(), fetchOffset: try reader.readInt64(),
            maxBytes: try reader.readInt32())
    }

    /// The whole request frame with its size prefix and a v1 header (correlation id 0, patched by
    /// the connection that sends it).
    public func frame(clientId: String?) -> [UInt8] {
        let header = KafkaRequestHeader(
            apiKey: LocalReadApi.apiKey, apiVersion: LocalReadApi.version, correlationId: 0, clientId: clientId)
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        header.encode(into: &writer)
        encode(into: &writer)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// Decodes a request frame (header and body, without the size prefix), refusing another api
    /// key or version and bytes left over.
    public static func decode(frame: [UInt8]) throws(DecodeError) -> (header: KafkaRequestHeader, request: Self) {
        var reader = ByteReader(frame)
        let header = try KafkaRequestHeader.decode(from: &reader)
        guard header.apiKey == LocalReadApi.apiKey, header.apiVersion == LocalReadApi.version else {
            throw .invalidValue(
                "api key \(header.apiKey) v\(header.apiVersion) is not SpateLocalRead v\(LocalReadApi.version)", at: 0)
        }
        let request = try decode(from: &reader)
        guard reader.isAtEnd else {
            throw .invalidValue("\(reader.readableBytes) unread bytes after LocalReadRequest", at: reader.readerIndex)
        }
        return (header, request)
    }
}

/// Bytes `[position, position + count)` of the segment file at `path`: whole record batches.
public struct LocalReadRegion: Equatable, Sendable {
    /// Absolute path of the segment file on the broker's host.
    public var path: String
    /// Where the batches start in that file.
    public var position: Int64
    /// Their bytes.
    public var count: Int32

    /// A region of `count` bytes at `position` of `path`.
    public init(path: String, position: Int64, count: Int32) {
        self.path = path
        self.position = position
        self.count = count
    }
}

/// Where the batches are, with the partition's offsets and the broker's host token: a reader uses
/// the regions only when the file at `tokenPath` holds `hostToken`, proof that it sees the broker's files.
public struct LocalReadResponse: Equatable, Sendable {
    /// Fetch's error codes for the partition.
    public var errorCode: KafkaErrorCode
    /// The log end offset when the regions were located (the high watermark on one node).
    public var highWatermark: Int64
    /// The log start offset then.
    public var logStartOffset: Int64
    /// The broker's random token; a reader that finds it in `tokenPath` shares the broker's files.
    public var hostToken: String
    /// Absolute path of the file holding `hostToken`.
    public var tokenPath: String
    /// In log order; empty at the log end or on an error.
    public var regions: [LocalReadRegion]

    /// A response; `regions` in log order.
    public init(
        errorCode: KafkaErrorCode = .noError, highWatermark: Int64, logStartOffset: Int64, hostToken: String,
        tokenPath: String, regions: [LocalReadRegion]
    ) {
        self.errorCode = errorCode
        self.highWatermark = highWatermark
        self.logStartOffset = logStartOffset
        self.hostToken = hostToken
        self.tokenPath = tokenPath
        self.regions = regions
    }

    /// Bytes the regions hold together.
    public var totalBytes: Int { regions.reduce(0) { $0 + Int($1.count) } }

    /// The body alone.
    public func encode(into writer: inout ByteWriter) {
        writer.writeErrorCode(errorCode)
        writer.writeInteger(highWatermark)
        writer.writeInteger(logStartOffset)
        writer.writeInt16String(hostToken)
        writer.writeInt16String(tokenPath)
        writer.writeKafkaArray(regions) { writer, region in
            writer.writeInt16String(region.path)
            writer.writeInteger(region.position)
            writer.writeInteger(region.count)
        }
    }

    /// Reads a body; a negative position or count is malformed.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> LocalReadResponse {
        var response = LocalReadResponse(
            errorCode: try reader.readErrorCode(), highWatermark: try reader.readInt64(),
            logStartOffset: try reader.readInt64(), hostToken: try reader.readInt16String(),
            tokenPath: try reader.readInt16String(), regions: [])
        // A region is at least a 2-byte path length, an 8-byte position and a 4-byte count.
        response.regions = try reader.readKafkaArray(minElementBytes: 14) { reader throws(DecodeError) in
            let at = reader.readerIndex
            let region = LocalReadRegion(
                path: try reader.readInt16String(), position: try reader.readInt64(), count: try reader.readInt32())
            guard region.position >= 0, region.count >= 0 else {
                throw .invalidValue("region at \(region.position) of \(region.count) bytes", at: at)
            }
            return region
        }
        return response
    }

    /// The whole response frame with its size prefix and a v0 header.
    public func frame(correlationId: Int32) -> [UInt8] {
        var writer = ByteWriter()
        let size = writer.reserveInt32()
        writer.writeInteger(correlationId)
        encode(into: &writer)
        writer.patchLengthInt32(at: size)
        return writer.bytes
    }

    /// Decodes a response frame (header and body, without the size prefix), refusing bytes left over.
    public static func decode(frame: [UInt8]) throws(DecodeError) -> (correlationId: Int32, response: Self) {
        var reader = ByteReader(frame)
        let correlationId = try reader.readInt32()
        let response = try decode(from: &reader)
        guard reader.isAtEnd else {
            throw .invalidValue("\(reader.readableBytes) unread bytes after LocalReadResponse", at: reader.readerIndex)
        }
        return (correlationId, response)
    }
}

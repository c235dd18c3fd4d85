/// Turns a byte stream into frames. It never traps on input: it returns nil for "need more data"
/// or throws `RPCFrameError`. Small frames are gathered in a staging buffer; a large body is read
/// straight into its own array, and its CRC is computed as it arrives, while the bytes are in cache.
public struct RPCFrameDecoder: Sendable {
    /// Bodies at least this large bypass the staging buffer.
    public static let directBodyBytesMin = 64 * 1024
    static let stagingBytes = 256 * 1024

    /// The largest frame (header plus body) accepted.
    public let frameBytesMax: Int
    private var staging: [UInt8]
    private var start = 0
    private var end = 0
    private var pendingHeader: RPCFrameHeader?
    private var largeBody: [UInt8] = []
    private var largeFilled = 0
    private var largeCRC: UInt32 = 0

    /// A decoder that refuses frames larger than `frameBytesMax`.
    public init(frameBytesMax: Int) {
        precondition(frameBytesMax > RPCFrameHeader.byteCount, "frameBytesMax must exceed the header size")
        self.frameBytesMax = frameBytesMax
        self.staging = [UInt8](repeating: 0, count: Self.stagingBytes)
    }

    private var collectingLarge: Bool { pendingHeader != nil && largeBody.count > 0 }

    /// True when some bytes of an unfinished frame are buffered (a disconnect now is mid-frame).
    /// A consumed header still waiting for its first body byte counts: its bytes are gone from staging.
    public var hasPartialFrame: Bool { end > start || pendingHeader != nil }

    /// Reads once from `source` into wherever the next bytes belong; returns what `source` returned
    /// (0 means end of stream). Call `next()` until it returns nil before calling this again.
    public mutating func receive<E: Error>(
        _ source: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        // Once a large body is complete, further bytes belong to later frames: stage them.
        if collectingLarge && largeFilled < largeBody.count {
            let filled = largeFilled
            let crc = largeCRC
            let verify = pendingHeader?.bodyChecksummed ?? true
            let (count, newCRC) = try largeBody.withUnsafeMutableBytes { raw in
                Result { () throws(E) -> (Int, UInt32) in
                    let target = UnsafeMutableRawBufferPointer(rebasing: raw[filled...])
                    let count = try source(target)
                    guard verify, count > 0 else { return (count, crc) }
                    return (count, CRC32C.update(crc, UnsafeRawBufferPointer(rebasing: target[0..<count])))
                }
            }.get()
            largeCRC = newCRC
            largeFilled += count
            return count
        }
        makeRoom()
        let from = end
        let count = try staging.withUnsafeMutableBytes { raw in
            Result { () throws(E) -> Int in try source(UnsafeMutableRawBufferPointer(rebasing: raw[from...])) }
        }.get()
        end += count
        return count
    }

    /// Appends bytes as if they had been received (tests and in-memory peers).
    public mutating func feed(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = receive { (target) -> Int in
                let count = min(target.count, bytes.count - offset)
                bytes.withUnsafeBytes {
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count]))
                }
                return count
            }
            offset += count
            if count == 0 { growStaging() }
        }
    }

    private mutating func makeRoom() {
        if start == end {
            start = 0
            end = 0
        } else if staging.count - end < Self.directBodyBytesMin && start > 0 {
            let unread = end - start
            staging.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: unread)
            }
            start = 0
            end = unread
        }
        if end == staging.count { growStaging() }
    }

    /// Only `feed` of unconsumed frames can fill staging; grow rather than lose bytes.
    private mutating func growStaging() {
        staging.append(contentsOf: [UInt8](repeating: 0, count: staging.count))
    }

    /// The next complete frame, nil if more bytes are needed.
    public mutating func next() throws(RPCFrameError) -> RPCFrame? {
        if collectingLarge { return try finishLarge() }
        let header: RPCFrameHeader
        if let pending = pendingHeader {
            header = pending
        } else {
            guard end - start >= RPCFrameHeader.byteCount else { return nil }
            header = try RPCFrameHeader.decode(staging, at: start, frameBytesMax: frameBytesMax)
            start += RPCFrameHeader.byteCount
            pendingHeader = header
        }
        let bodyLength = Int(header.bodyLength)
        if end - start >= bodyLength {
            let body = Array(staging[start..<start + bodyLength])
            start += bodyLength
            pendingHeader = nil
            return try verified(header, body, header.bodyChecksummed ? CRC32C.checksum(body) : 0)
        }
        if bodyLength >= Self.directBodyBytesMin {
            let available = end - start
            largeBody = [UInt8](unsafeUninitializedCapacity: bodyLength) { _, count in count = bodyLength }
            largeBody.withUnsafeMutableBytes { raw in
                staging.withUnsafeBytes {
                    raw.baseAddress!.copyMemory(from: $0.baseAddress! + start, byteCount: available)
                }
            }
            largeCRC =
                header.bodyChecksummed
                ? largeBody.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<available])) } : 0
            largeFilled = available
            start = end
        }
        return nil
    }

    private mutating func finishLarge() throws(RPCFrameError) -> RPCFrame? {
        guard largeFilled == largeBody.count, let header = pendingHeader else { return nil }
        var body: [UInt8] = []
        swap(&body, &largeBody)
        pendingHeader = nil
        largeFilled = 0
        return try verified(header, body, largeCRC)
    }

    private func verified(_ header: RPCFrameHeader, _ body: [UInt8], _ crc: UInt32) throws(RPCFrameError) -> RPCFrame {
        // An omitted checksum is written as zero, so the comparison below still holds for it.
        guard crc == header.bodyCRC else { throw .bodyChecksum(header, expected: crc, found: header.bodyCRC) }
        return RPCFrame(header: header, body: body)
    }
}

/// Writes one event's bytes into a fixed scratch region (no array growth per piece).
struct EventWriter {
    let start: UnsafeMutablePointer<UInt8>
    let limit: UnsafeMutablePointer<UInt8>
    var cursor: UnsafeMutablePointer<UInt8>

    init(_ scratch: UnsafeMutableBufferPointer<UInt8>) {
        start = scratch.baseAddress!
        limit = start + scratch.count
        cursor = start
    }

    var count: Int { cursor - start }

    @inline(__always)
    mutating func reserve(_ bytes: Int) {
        precondition(limit - cursor >= bytes, "a generated event outgrew its scratch")
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        reserve(1)
        cursor.pointee = value
        cursor += 1
    }

    @inline(__always)
    mutating func text(_ value: StaticString) {
        raw(UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func bytes(_ value: [UInt8]) {
        value.withUnsafeBytes { raw($0) }
    }

    @inline(__always)
    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { raw(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    mutating func raw(_ value: UnsafeRawBufferPointer) {
        reserve(value.count)
        guard let base = value.baseAddress else { return }
        UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: value.count)
        cursor += value.count
    }

    @inline(__always)
    mutating func decimal(_ value: Int64) {
        reserve(DecimalText.bytesMax)
        cursor += DecimalText.write(value, to: cursor)
    }

    @inline(__always)
    mutating func decimal(_ value: UInt64, width: Int) {
        reserve(DecimalText.bytesMax)
        cursor += DecimalText.write(value, width: width, to: cursor)
    }

    /// ISO-8601 UTC with milliseconds; returns where it starts.
    @inline(__always)
    mutating func iso8601(_ epochMs: Int64) -> UnsafeMutablePointer<UInt8> {
        reserve(TimestampCodec.iso8601BytesMax)
        let first = cursor
        cursor += TimestampCodec.writeISO8601(epochMs: epochMs, to: cursor)
        return first
    }
}

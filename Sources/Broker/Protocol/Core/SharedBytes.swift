import Wire

/// Bytes that sit inside a larger array they share, such as one partition's record batches inside
/// a Fetch response frame: decoding points at them instead of copying them out (copying a fetch's
/// records out of its frame was ~4% of `spate bench query`'s job CPU). Equal when their bytes are.
public struct SharedBytes: Equatable, Sendable, ExpressibleByArrayLiteral {
    /// The whole array the bytes sit in; `range` indexes it.
    public let storage: [UInt8]
    /// Where the bytes sit in `storage`.
    public let range: Range<Int>

    /// All of `bytes`.
    public init(_ bytes: [UInt8]) {
        storage = bytes
        range = 0..<bytes.count
    }

    /// The bytes at `range` of `storage`, sharing its buffer.
    public init(_ storage: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.count, "shared bytes outside their storage")
        self.storage = storage
        self.range = range
    }

    /// The bytes listed.
    public init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }

    /// The bytes, indexed as in `storage`.
    public var bytes: ArraySlice<UInt8> { storage[range] }

    /// Number of bytes.
    public var count: Int { range.count }

    /// True when there are no bytes.
    public var isEmpty: Bool { range.isEmpty }

    /// The bytes as an array of their own: `storage` itself when they are all of it, else a copy.
    public var array: [UInt8] { range == storage.indices ? storage : Array(storage[range]) }

    /// The bytes at `bounds`, which are positions in `storage` inside `range`.
    public subscript(bounds: Range<Int>) -> ArraySlice<UInt8> {
        precondition(
            bounds.lowerBound >= range.lowerBound && bounds.upperBound <= range.upperBound, "outside the bytes")
        return storage[bounds]
    }

    public static func == (lhs: SharedBytes, rhs: SharedBytes) -> Bool {
        lhs.bytes == rhs.bytes
    }
}

extension ByteReader {
    /// Reads NULLABLE_BYTES (int32 length, -1 = null) as where they sit in `storage`, copying nothing.
    mutating func readNullableInt32SharedBytes() throws(DecodeError) -> SharedBytes? {
        let at = readerIndex
        let length = Int(try readInt32())
        if length == -1 { return nil }
        guard length >= 0 else { throw .invalidLength(length, at: at) }
        return SharedBytes(storage, range: try readRange(count: length))
    }
}

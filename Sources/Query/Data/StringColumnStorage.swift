/// Strings of one column packed end to end (as Arrow does): row `i` is the UTF-8 bytes
/// `bytes[offsets[i]..<offsets[i + 1]]`. One allocation for all values, no String per row.
public struct StringColumnStorage: Sendable, Hashable {
    /// The UTF-8 bytes of every value, end to end.
    public var bytes: [UInt8] = []
    /// `count + 1` entries; `offsets[0] == 0`. A null row has an empty range.
    public var offsets: [Int] = [0]

    /// Empty storage.
    public init() {}

    /// Number of values.
    @inlinable public var count: Int { offsets.count - 1 }

    /// Appends one value from raw UTF-8 bytes (the caller has validated them).
    @inlinable public mutating func append(_ utf8: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: utf8)
        offsets.append(bytes.count)
    }

    /// Appends one value.
    public mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        offsets.append(bytes.count)
    }

    /// Appends an empty value (the slot of a null row).
    @inlinable public mutating func appendEmpty() { offsets.append(bytes.count) }

    /// The byte range of row `index`.
    @inlinable public func range(at index: Int) -> Range<Int> { offsets[index]..<offsets[index + 1] }

    /// Row `index` as a String (allocates; not for hot paths).
    public func string(at index: Int) -> String {
        String(decoding: bytes[range(at: index)], as: UTF8.self)
    }

    /// Calls `body` with the bytes of row `index`, without copying.
    @inlinable public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = range(at: index)
        return try bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[range]))
        }
    }

    /// Reserves room for `rows` more values of about `bytesPerRow` bytes each.
    public mutating func reserve(rows: Int, bytesPerRow: Int) {
        offsets.reserveCapacity(offsets.count + rows)
        bytes.reserveCapacity(bytes.count + rows * bytesPerRow)
    }
}

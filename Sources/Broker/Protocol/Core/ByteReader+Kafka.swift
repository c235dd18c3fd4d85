import Wire

/// Kafka-schema shapes (arrays, tagged-field sections) on top of Wire's primitive reads.
extension ByteReader {
    /// Reads a non-nullable ARRAY (int32 count); a null (-1) count is refused.
    mutating func readKafkaArray<Element>(
        minElementBytes: Int,
        _ element: (inout ByteReader) throws(DecodeError) -> Element
    ) throws(DecodeError) -> [Element] {
        let at = readerIndex
        guard let items = try readNullableKafkaArray(minElementBytes: minElementBytes, element) else {
            throw .invalidLength(-1, at: at)
        }
        return items
    }

    /// Reads a NULLABLE ARRAY (int32 count, -1 = null).
    mutating func readNullableKafkaArray<Element>(
        minElementBytes: Int,
        _ element: (inout ByteReader) throws(DecodeError) -> Element
    ) throws(DecodeError) -> [Element]? {
        // readArrayCount bounds the count by the bytes left, so a hostile count cannot allocate.
        guard let count = try readArrayCount(minElementBytes: minElementBytes) else { return nil }
        var items: [Element] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }

    /// Reads a non-nullable ARRAY of INT32.
    mutating func readInt32Array() throws(DecodeError) -> [Int32] {
        try readKafkaArray(minElementBytes: 4) { reader throws(DecodeError) in try reader.readInt32() }
    }

    /// Reads a COMPACT_ARRAY (uvarint count + 1, 0 = null) of a flexible version.
    mutating func readCompactKafkaArray<Element>(
        minElementBytes: Int,
        _ element: (inout ByteReader) throws(DecodeError) -> Element
    ) throws(DecodeError) -> [Element]? {
        let at = readerIndex
        let countPlusOne = Int(try readUVarint32())
        if countPlusOne == 0 { return nil }
        let count = countPlusOne - 1
        let limit = readableBytes / max(1, minElementBytes)
        guard count <= limit else { throw .lengthTooLarge(count, limit: limit, at: at) }
        var items: [Element] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }

    /// Reads a non-null COMPACT_STRING; a null is refused.
    mutating func readNonNullCompactString() throws(DecodeError) -> String {
        let at = readerIndex
        guard let text = try readCompactString() else { throw .invalidLength(-1, at: at) }
        return text
    }

    /// Skips a tagged-field section (uvarint count, then tag, size and data per field).
    /// Spate sets no tagged fields of its own, so unknown ones are dropped, as Kafka allows.
    mutating func skipTaggedFields() throws(DecodeError) {
        let at = readerIndex
        let count = Int(try readUVarint32())
        // Each field takes at least two bytes (tag and size), which bounds the loop.
        guard count <= readableBytes / 2 else { throw .lengthTooLarge(count, limit: readableBytes / 2, at: at) }
        for _ in 0..<count {
            _ = try readUVarint32()
            let size = Int(try readUVarint32())
            try skip(size)
        }
    }

    /// Reads a Kafka error code.
    mutating func readErrorCode() throws(DecodeError) -> KafkaErrorCode {
        KafkaErrorCode(rawValue: try readInt16())
    }
}

import Wire

/// Kafka-schema shapes (arrays, tagged-field sections) on top of Wire's primitive writes.
extension ByteWriter {
    /// Writes an ARRAY: int32 count, then each element.
    mutating func writeKafkaArray<Element>(_ items: [Element], _ element: (inout ByteWriter, Element) -> Void) {
        writeInteger(Int32(items.count))
        for item in items { element(&self, item) }
    }

    /// Writes a NULLABLE ARRAY: nil as count -1.
    mutating func writeNullableKafkaArray<Element>(_ items: [Element]?, _ element: (inout ByteWriter, Element) -> Void)
    {
        guard let items else {
            writeInteger(Int32(-1))
            return
        }
        writeKafkaArray(items, element)
    }

    /// Writes an ARRAY of INT32.
    mutating func writeInt32Array(_ items: [Int32]) {
        writeKafkaArray(items) { writer, item in writer.writeInteger(item) }
    }

    /// Writes a COMPACT_ARRAY: uvarint count + 1 (0 = null), then each element.
    mutating func writeCompactKafkaArray<Element>(_ items: [Element]?, _ element: (inout ByteWriter, Element) -> Void) {
        guard let items else {
            writeUVarint(0)
            return
        }
        writeUVarint(UInt64(items.count) + 1)
        for item in items { element(&self, item) }
    }

    /// Writes an empty tagged-field section.
    mutating func writeEmptyTaggedFields() { writeUVarint(0) }

    /// Writes a Kafka error code.
    mutating func writeErrorCode(_ code: KafkaErrorCode) { writeInteger(code.rawValue) }
}

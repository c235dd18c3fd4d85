import Wire

/// Rows cross process boundaries (task results, sink rows) in this form:
/// `version u8 (1) | fieldCount u16 | fields (name int16-string, type u8, nullable u8) | rowCount u32 |
/// per column: hasNulls u8, [null bits, LSB first, ceil(rows/8) bytes], values`.
/// Values: bool 1 byte each; int64/timestamp/double 8 bytes each, big-endian; string a u32 byte
/// count, the bytes, then one uvarint length per row.
extension RecordBatch {
    /// The codec's format version, first byte of every encoded batch.
    public static let codecVersion: UInt8 = 1
    /// Fields per batch the decoder accepts, so a hostile count cannot drive a huge allocation.
    public static let fieldsMax = 4096

    /// Appends the batch's encoding to `writer`.
    public func encode(into writer: inout ByteWriter) {
        writer.writeByte(Self.codecVersion)
        writer.writeInteger(UInt16(schema.count))
        for field in schema.fields {
            writer.writeInt16String(field.name)
            writer.writeByte(field.type.rawValue)
            writer.writeBool(field.nullable)
        }
        writer.writeInteger(UInt32(rowCount))
        for column in columns { column.encodeValues(into: &writer) }
    }

    /// The batch encoded on its own.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + rowCount * columns.count * 8)
        encode(into: &writer)
        return writer.bytes
    }

    /// Reads one batch written by `encode(into:)`; hostile input yields a `DecodeError`.
    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> RecordBatch {
        let versionAt = reader.readerIndex
        let version = try reader.readUInt8()
        guard version == codecVersion else {
            throw .invalidValue("record batch format version \(version), expected \(codecVersion)", at: versionAt)
        }
        let fieldCount = Int(try reader.readUInt16())
        guard fieldCount <= fieldsMax else { throw .lengthTooLarge(fieldCount, limit: fieldsMax, at: versionAt + 1) }
        var fields: [Field] = []
        for _ in 0..<fieldCount {
            let name = try reader.readInt16String()
            let typeAt = reader.readerIndex
            let rawType = try reader.readUInt8()
            guard let type = DataType(rawValue: rawType) else {
                throw .invalidValue("unknown column type \(rawType)", at: typeAt)
            }
            fields.append(Field(name, type, nullable: try reader.readBool()))
        }
        let rowsAt = reader.readerIndex
        let rowCount = Int(try reader.readUInt32())
        // Every row takes at least one bit per column; a count beyond the bytes left is a lie.
        guard fieldCount == 0 || rowCount <= reader.readableBytes * 8 else {
            throw .lengthTooLarge(rowCount, limit: reader.readableBytes * 8, at: rowsAt)
        }
        var columns: [Column] = []
        for field in fields {
            columns.append(try Column.decodeValues(field.type, rows: rowCount, from: &reader))
        }
        return RecordBatch(schema: Schema(fields), columns: columns)
    }

    /// Decodes a batch that fills all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> RecordBatch {
        var reader = ByteReader(bytes)
        let batch = try decode(from: &reader)
        guard reader.readableBytes == 0 else {
            throw .invalidValue("\(reader.readableBytes) bytes after the record batch", at: reader.readerIndex)
        }
        return batch
    }
}

extension Column {
    func encodeValues(into writer: inout ByteWriter) {
        writer.writeBool(hasNulls)
        if hasNulls {
            var byte: UInt8 = 0
            for (index, isNull) in nulls.enumerated() {
                if isNull { byte |= 1 << UInt8(index % 8) }
                if index % 8 == 7 {
                    writer.writeByte(byte)
                    byte = 0
                }
            }
            if count % 8 != 0 { writer.writeByte(byte) }
        }
        switch type {
        case .bool: for value in bools { writer.writeBool(value) }
        case .int64, .timestamp: for value in int64s { writer.writeInteger(value) }
        case .double: for value in doubles { writer.writeDouble(value) }
        case .string:
            writer.writeInteger(UInt32(strings.bytes.count))
            writer.writeBytes(strings.bytes)
            for row in 0..<count { writer.writeUVarint(UInt64(strings.offsets[row + 1] - strings.offsets[row])) }
        }
    }

    static func decodeValues(_ type: DataType, rows: Int, from reader: inout ByteReader) throws(DecodeError)
        -> Column
    {
        var nullMask: [Bool]? = nil
        if try reader.readBool() {
            let bits = try reader.readBytes(count: (rows + 7) / 8)
            nullMask = (0..<rows).map { bits[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
        }
        var column = Column(type)
        column.reserve(rows)
        // A null row still has an encoded slot: read it, then append NULL instead.
        func isNull(_ row: Int) -> Bool { nullMask?[row] == true }
        switch type {
        case .bool:
            for row in 0..<rows {
                let value = try reader.readBool()
                if isNull(row) { column.appendNull() } else { column.append(bool: value) }
            }
        case .int64, .timestamp:
            for row in 0..<rows {
                let value = try reader.readInt64()
                if isNull(row) { column.appendNull() } else { column.append(int64: value) }
            }
        case .double:
            for row in 0..<rows {
                let value = try reader.readDouble()
                if isNull(row) { column.appendNull() } else { column.append(double: value) }
            }
        case .string:
            try column.decodeStrings(rows: rows, nullMask: nullMask, from: &reader)
        }
        return column
    }

    private mutating func decodeStrings(rows: Int, nullMask: [Bool]?, from reader: inout ByteReader)
        throws(DecodeError)
    {
        let bytesAt = reader.readerIndex
        let byteCount = Int(try reader.readUInt32())
        let blob = try reader.readBytes(count: byteCount)
        var start = 0
        for row in 0..<rows {
            let lengthAt = reader.readerIndex
            let length = Int(try reader.readUVarint64())
            guard length <= blob.count - start else {
                throw .lengthTooLarge(length, limit: blob.count - start, at: lengthAt)
            }
            let range = start..<start + length
            start += length
            if nullMask?[row] == true {
                appendNull()
                continue
            }
            guard String(validating: blob[range], as: UTF8.self) != nil else { throw .invalidUTF8(at: bytesAt + 4) }
            blob.withUnsafeBytes { append(utf8: UnsafeRawBufferPointer(rebasing: $0[range])) }
        }
        guard start == blob.count else {
            throw .invalidValue("string lengths cover \(start) of \(blob.count) bytes", at: bytesAt)
        }
    }
}

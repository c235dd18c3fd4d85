import Wire

extension DeadLetter {
    func encode(into writer: inout ByteWriter) {
        writer.writeInteger(partition)
        writer.writeInteger(offset)
        reason.encode(into: &writer)
        writer.writeInt32Bytes(raw)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> DeadLetter {
        DeadLetter(
            partition: try reader.readInt32(), offset: try reader.readInt64(),
            reason: try DeadLetterReason.decode(from: &reader), raw: try reader.readInt32Bytes())
    }
}

extension DeadLetterReason {
    func encode(into writer: inout ByteWriter) {
        switch self {
        case .malformed(let detail):
            writer.writeByte(1)
            writer.writeLongString(detail)
        case .invalidUTF8: writer.writeByte(2)
        case .missingEventTime: writer.writeByte(3)
        case .badEventTime(let detail):
            writer.writeByte(4)
            writer.writeLongString(detail)
        case .badValue(let column, let detail):
            writer.writeByte(5)
            writer.writeInt16String(column)
            writer.writeLongString(detail)
        case .nullValue: writer.writeByte(6)
        case .late(let eventTimeMs, let watermarkMs):
            writer.writeByte(7)
            writer.writeInteger(eventTimeMs)
            writer.writeInteger(watermarkMs)
        }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> DeadLetterReason {
        let at = reader.readerIndex
        switch try reader.readUInt8() {
        case 1: return .malformed(try reader.readLongString())
        case 2: return .invalidUTF8
        case 3: return .missingEventTime
        case 4: return .badEventTime(try reader.readLongString())
        case 5: return .badValue(column: try reader.readString(), detail: try reader.readLongString())
        case 6: return .nullValue
        case 7: return .late(eventTimeMs: try reader.readInt64(), watermarkMs: try reader.readInt64())
        case let other: throw .invalidValue("unknown dead-letter reason \(other)", at: at)
        }
    }
}

import Wire

extension Accumulator {
    /// Writes group `slot`'s state. `entries` limits the distinct/top_k values written to those
    /// (a delta's changes); `sorted` writes all values in ascending byte order (canonical snapshots).
    func encode(_ slot: Int32, into writer: inout ByteWriter, entries: [Int32]?, sorted: Bool) {
        let index = Int(slot)
        switch kind {
        case .countStar, .count:
            writer.writeVarint64(int64s[index])
        case .sumInt:
            writer.writeBool(has[index])
            writer.writeVarint64(int64s[index])
        case .sumDouble:
            writer.writeBool(has[index])
            writer.writeDouble(doubles[index])
        case .avg:
            writer.writeDouble(doubles[index])
            writer.writeVarint64(int64s[index])
        case .min(let type), .max(let type):
            writer.writeBool(has[index])
            guard has[index] else { return }
            switch OrderedStorage(type) {
            case .int64: writer.writeVarint64(int64s[index])
            case .double: writer.writeDouble(doubles[index])
            case .string:
                writer.writeUVarint(UInt64(strings[index].count))
                writer.writeBytes(strings[index])
            }
        case .distinct, .topK:
            encodeValues(entries ?? values.entries(of: slot), into: &writer, sorted: sorted)
        case .approxDistinct:
            let sketch = sketches[index]
            let used = sketch.isEmpty ? 0 : sketch.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
            writer.writeUVarint(UInt64(used))
            for (register, rank) in sketch.enumerated() where rank != 0 {
                writer.writeUVarint(UInt64(register))
                writer.writeByte(rank)
            }
        }
    }

    private func encodeValues(_ entries: [Int32], into writer: inout ByteWriter, sorted: Bool) {
        ValueSection.write(sorted ? values.sortedByBytes(entries) : entries, of: values, into: &writer)
    }

    /// Reads group `slot`'s state (a slot just appended, still empty), checking every value: the
    /// bytes may be hostile.
    mutating func decodeSlot(_ slot: Int32, from reader: inout ByteReader) throws(DecodeError) {
        let index = Int(slot)
        switch kind {
        case .countStar, .count:
            int64s[index] = try Self.readCount(&reader)
        case .sumInt:
            has[index] = try reader.readBool()
            int64s[index] = try reader.readVarint64()
        case .sumDouble:
            has[index] = try reader.readBool()
            doubles[index] = try reader.readDouble()
        case .avg:
            doubles[index] = try reader.readDouble()
            int64s[index] = try Self.readCount(&reader)
        case .min(let type), .max(let type):
            has[index] = try reader.readBool()
            guard has[index] else { return }
            switch OrderedStorage(type) {
            case .int64:
                let value = try reader.readVarint64()
                guard type != .bool || value == 0 || value == 1 else {
                    throw .invalidValue("boolean \(value)", at: reader.readerIndex)
                }
                int64s[index] = value
            case .double: doubles[index] = try reader.readDouble()
            case .string: strings[index] = try Self.readValue(&reader, type: .string).bytes
            }
        case .distinct(let type), .topK(_, let type):
            try decodeValues(Int32(index), from: &reader, type: type)
        case .approxDistinct:
            try decodeSketch(index, from: &reader)
        }
    }

    private mutating func decodeValues(_ slot: Int32, from reader: inout ByteReader, type: DataType) throws(DecodeError)
    {
        // A decoded block's values stay in the block's own bytes; the table only lists them.
        let referencing = !values.indexed && (values.arena.isEmpty || values.arena.count == reader.storage.count)
        if referencing && values.arena.isEmpty && values.entries.isEmpty { values.adoptArena(reader.storage) }
        let storage = reader.storage
        var failure: DecodeError?
        storage.withUnsafeBytes { all in
            do throws(DecodeError) {
                try ValueSection.read(&reader, counted: values.counted) { range, occurrences in
                    let bytes = UnsafeRawBufferPointer(rebasing: all[range])
                    guard ValueBytes.isValid(bytes, type: type) else {
                        return .invalidValue("not a valid \(type) value", at: range.lowerBound)
                    }
                    let hash = StableHash.hash(bytes)
                    if referencing {
                        values.appendReference(slot: slot, range: range, hash: hash, count: occurrences)
                    } else {
                        values.insert(slot: slot, bytes: bytes, hash: hash, count: occurrences)
                    }
                    return nil
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private mutating func decodeSketch(_ slot: Int, from reader: inout ByteReader) throws(DecodeError) {
        let countAt = reader.readerIndex
        let used = try reader.readUVarint64()
        guard used <= UInt64(HyperLogLog.registerCount) else {
            throw .lengthTooLarge(Int(clamping: used), limit: HyperLogLog.registerCount, at: countAt)
        }
        guard used > 0 else { return }
        var sketch = [UInt8](repeating: 0, count: HyperLogLog.registerCount)
        for _ in 0..<Int(used) {
            let at = reader.readerIndex
            let register = try reader.readUVarint64()
            let rank = try reader.readUInt8()
            guard register < UInt64(HyperLogLog.registerCount), rank >= 1, rank <= HyperLogLog.rankMax else {
                throw .invalidValue("HyperLogLog register \(register) of rank \(rank)", at: at)
            }
            sketch[Int(register)] = max(sketch[Int(register)], rank)
        }
        sketches[slot] = sketch
    }

    /// A non-negative count.
    static func readCount(_ reader: inout ByteReader) throws(DecodeError) -> Int64 {
        let at = reader.readerIndex
        let value = try reader.readVarint64()
        guard value >= 0 else { throw .invalidValue("negative count \(value)", at: at) }
        return value
    }

    /// A length-prefixed value, checked to be a valid `type` encoding.
    static func readValue(_ reader: inout ByteReader, type: DataType) throws(DecodeError) -> (bytes: [UInt8], at: Int) {
        let at = reader.readerIndex
        let range = try readValueRange(&reader)
        let bytes = Array(reader.storage[range])
        guard bytes.withUnsafeBytes({ ValueBytes.isValid($0, type: type) }) else {
            throw .invalidValue("not a valid \(type) value", at: at)
        }
        return (bytes, at)
    }

    /// The range of a length-prefixed value in the reader's storage.
    static func readValueRange(_ reader: inout ByteReader) throws(DecodeError) -> Range<Int> {
        let at = reader.readerIndex
        let length = try reader.readUVarint64()
        guard length <= UInt64(reader.readableBytes) else {
            throw .truncated(needed: Int(clamping: length), available: reader.readableBytes, at: at)
        }
        return try reader.readRange(count: Int(length))
    }
}

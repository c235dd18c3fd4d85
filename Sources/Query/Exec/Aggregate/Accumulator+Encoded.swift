import Wire

/// One group's encoded state checked, then merged, without decoding it into a store first.
extension Accumulator {
    /// Checks one group's encoded state (the bytes may be hostile); returns how many distinct/top_k
    /// values it holds. `self` is a one-slot scratch accumulator that scalar states are read into.
    mutating func checkEncoded(from reader: inout ByteReader) throws(DecodeError) -> Int {
        switch kind {
        case .distinct(let type), .topK(_, let type):
            var values = 0
            let counted = self.values.counted
            let failure = reader.storage.withUnsafeBytes { all -> DecodeError? in
                do throws(DecodeError) {
                    try ValueSection.read(&reader, counted: counted) { range, _ in
                        values += 1
                        return ValueBytes.isValid(UnsafeRawBufferPointer(rebasing: all[range]), type: type)
                            ? nil : .invalidValue("not a valid \(type) value", at: range.lowerBound)
                    }
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
            return values
        default:
            try decodeScratch(from: &reader)
            return 0
        }
    }

    /// Folds one group's encoded state (checked by `checkEncoded`) into group `slot`; scalar
    /// states pass through `scratch`, a one-slot accumulator of the same kind.
    mutating func mergeEncoded(from reader: inout ByteReader, into slot: Int32, scratch: inout Accumulator)
        throws(DecodeError)
    {
        switch kind {
        case .distinct, .topK:
            let storage = reader.storage
            let failure = storage.withUnsafeBytes { all -> DecodeError? in
                withUnsafeTemporaryAllocation(
                    of: SlotValueTable.PendingValue.self, capacity: SlotValueTable.groupValues
                ) {
                    group in
                    var held = 0
                    do throws(DecodeError) {
                        try ValueSection.read(&reader, counted: values.counted) { range, occurrences in
                            let hash = StableHash.hash(UnsafeRawBufferPointer(rebasing: all[range]))
                            group.initializeElement(
                                at: held, to: .init(range, hash: hash, slot: slot, count: occurrences))
                            held += 1
                            if held == group.count {
                                values.insertGroup(group, base: all, overwrite: false)
                                held = 0
                            }
                            return nil
                        }
                    } catch { return error }
                    values.insertGroup(
                        UnsafeMutableBufferPointer(rebasing: group[0..<held]), base: all, overwrite: false)
                    return nil
                }
            }
            if let failure { throw failure }
        default:
            try scratch.decodeScratch(from: &reader)
            merge(from: scratch, 0, into: slot, overwrite: false)
        }
    }

    /// Reads a scalar state into slot 0 of this one-slot accumulator, over whatever it held.
    private mutating func decodeScratch(from reader: inout ByteReader) throws(DecodeError) {
        precondition(slotCount == 1, "scalar states are read into one-slot accumulators")
        if case .approxDistinct = kind { sketches[0] = [] }
        try decodeSlot(0, from: &reader)
    }
}

/// How a format turns the fields of one record into cells.
protocol CellConverter {
    /// Slot `slot`'s cell (`.null` when missing or null), unescaping into `scratch` if it must.
    func convert(_ slot: Int, scratch: inout [UInt8]) throws(ConversionFailure) -> DecodedCell
}

extension CellConverter {
    /// Converts every slot in `order` into the builder's next row, then keeps the row or sends the
    /// record to the dead letters with the first failure's reason.
    @inline(__always)
    func finish(
        record index: Int, of records: SourceRecords, order: UnsafeBufferPointer<Int>, into builder: inout RowBuilder
    ) {
        if !builder.scratch.isEmpty { builder.scratch.removeAll(keepingCapacity: true) }
        for slot in order {
            if let reason = store(slot, into: &builder) { return builder.reject(index, of: records, reason) }
        }
        builder.commit(record: index)
    }

    /// Converts slot `slot` into the builder's next row; why the record fails, if it does.
    @inline(__always)
    func store(_ slot: Int, into builder: inout RowBuilder) -> DeadLetterReason? {
        do {
            return builder.store(slot, try convert(slot, scratch: &builder.scratch))
        } catch {
            return builder.reason(slot, error)
        }
    }
}

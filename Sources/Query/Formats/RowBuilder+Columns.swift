/// Turning the cells of accepted rows into typed columns, one column at a time, each array
/// filled in one pass through its unsafe buffer.
extension RowBuilder {
    /// The decoded batch and dead letters.
    func result() -> DecodedRecords {
        let fields = plan.outputSchema.fields
        let columns = fields.indices.map { column($0, type: fields[$0].type) }
        return DecodedRecords(
            batch: RecordBatch(schema: plan.outputSchema, columns: columns),
            recordIndexes: Array(UnsafeBufferPointer(start: recordIndexes, count: rowCount)),
            deadLetters: deadLetters)
    }

    /// The cells of output column `output`, one per kept row.
    @inline(__always)
    func cells(_ output: Int) -> UnsafeBufferPointer<DecodedCell> {
        UnsafeBufferPointer(start: cells + output * rowsMax, count: rowCount)
    }

    /// A null cell's word is 0, so a null row's value comes out as the zero a column wants there.
    func column(_ output: Int, type: DataType) -> Column {
        let cells = cells(output)
        let nulls = cells.contains { $0.isNull } ? cells.map(\.isNull) : []
        switch type {
        case .int64, .timestamp:
            return Column(type, count: rowCount, nulls: nulls, int64s: cells.map(\.word))
        case .double:
            let values = cells.map { Double(bitPattern: UInt64(bitPattern: $0.word)) }
            return Column(type, count: rowCount, nulls: nulls, doubles: values)
        case .bool:
            return Column(type, count: rowCount, nulls: nulls, bools: cells.map { $0.word != 0 })
        case .string:
            return Column(type, count: rowCount, nulls: nulls, strings: strings(output, cells))
        }
    }

    /// The strings of output column `output`, packed end to end.
    func strings(_ output: Int, _ cells: UnsafeBufferPointer<DecodedCell>) -> StringColumnStorage {
        var storage = StringColumnStorage()
        storage.offsets = [Int](unsafeUninitializedCapacity: cells.count + 1) { offsets, count in
            var end = 0
            offsets[0] = 0
            for (row, cell) in cells.enumerated() {
                if !cell.isNull { end += Int(cell.count) }
                offsets[row + 1] = end
            }
            count = cells.count + 1
        }
        storage.bytes = strings[output].array()
        return storage
    }
}

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

    /// A null cell's word is 0 (outside string columns, which read no null's word), so a null row's
    /// value comes out as the zero a column wants there.
    /// Each column's cells are read once (the null mask, rarely needed, takes a second pass), as a
    /// 125,000-row column does not stay in cache between passes.
    func column(_ output: Int, type: DataType) -> Column {
        let cells = cells(output)
        // A null cell's count is negative and every other count is not, so OR-ing the counts
        // tells whether any row is null without a branch per row.
        var counts: Int64 = 0
        func nulls() -> [Bool] { counts < 0 ? cells.map(\.isNull) : [] }
        switch type {
        case .int64, .timestamp:
            let values = Self.map(cells, &counts) { $0.word }
            return Column(type, count: rowCount, nulls: nulls(), int64s: values)
        case .double:
            let values = Self.map(cells, &counts) { Double(bitPattern: UInt64(bitPattern: $0.word)) }
            return Column(type, count: rowCount, nulls: nulls(), doubles: values)
        case .bool:
            let values = Self.map(cells, &counts) { $0.word != 0 }
            return Column(type, count: rowCount, nulls: nulls(), bools: values)
        case .string:
            let storage = strings(output, cells, &counts)
            return Column(type, count: rowCount, nulls: nulls(), strings: storage)
        }
    }

    /// `transform` of every cell, OR-ing their counts into `counts` on the way.
    @inline(__always)
    static func map<T>(
        _ cells: UnsafeBufferPointer<DecodedCell>, _ counts: inout Int64, _ transform: (DecodedCell) -> T
    ) -> [T] {
        var seen: Int64 = 0
        let values = [T](unsafeUninitializedCapacity: cells.count) { buffer, count in
            for index in cells.indices {
                let cell = cells[index]
                seen |= cell.count
                (buffer.baseAddress! + index).initialize(to: transform(cell))
            }
            count = cells.count
        }
        counts |= seen
        return values
    }

    /// The strings of output column `output`, packed end to end.
    func strings(_ output: Int, _ cells: UnsafeBufferPointer<DecodedCell>, _ counts: inout Int64)
        -> StringColumnStorage
    {
        var storage = StringColumnStorage()
        var seen: Int64 = 0
        storage.offsets = [Int](unsafeUninitializedCapacity: cells.count + 1) { offsets, count in
            var end = 0
            offsets[0] = 0
            for (row, cell) in cells.enumerated() {
                seen |= cell.count
                if !cell.isNull { end += Int(cell.count) }
                offsets[row + 1] = end
            }
            count = cells.count + 1
        }
        counts |= seen
        storage.bytes = strings[output].array()
        return storage
    }
}

/// Turning the cells of accepted rows into typed columns, one column at a time, each array
/// filled in one pass through its unsafe buffer.
extension RowBuilder {
    /// The decoded batch and dead letters.
    func result() -> DecodedRecords {
        let fields = plan.outputSchema.fields
        let columns = fields.indices.map { column($0, type: fields[$0].type) }
        return DecodedRecords(
            batch: RecordBatch(schema: plan.outputSchema, columns: columns), recordIndexes: recordIndexes,
            deadLetters: deadLetters)
    }

    /// The cell of `row` for output column `output`.
    @inline(__always)
    func cell(_ row: Int, _ output: Int) -> DecodedCell { cells[row * outputCount + output] }

    func column(_ output: Int, type: DataType) -> Column {
        var anyNull = false
        for row in 0..<rowCount where cell(row, output).isNull { anyNull = true }
        let nulls = anyNull ? (0..<rowCount).map { cell($0, output).isNull } : []
        switch type {
        case .int64, .timestamp:
            let values = [Int64](unsafeUninitializedCapacity: rowCount) { buffer, count in
                for row in 0..<rowCount { buffer[row] = cell(row, output).isNull ? 0 : cell(row, output).word }
                count = rowCount
            }
            return Column(type, count: rowCount, nulls: nulls, int64s: values)
        case .double:
            let values = [Double](unsafeUninitializedCapacity: rowCount) { buffer, count in
                for row in 0..<rowCount {
                    let word = cell(row, output).isNull ? 0 : cell(row, output).word
                    buffer[row] = Double(bitPattern: UInt64(bitPattern: word))
                }
                count = rowCount
            }
            return Column(type, count: rowCount, nulls: nulls, doubles: values)
        case .bool:
            let values = (0..<rowCount).map { !cell($0, output).isNull && cell($0, output).word != 0 }
            return Column(type, count: rowCount, nulls: nulls, bools: values)
        case .string:
            return Column(type, count: rowCount, nulls: nulls, strings: strings(output))
        }
    }

    /// The strings of output column `output`, packed end to end.
    func strings(_ output: Int) -> StringColumnStorage {
        var storage = StringColumnStorage()
        storage.offsets = [Int](unsafeUninitializedCapacity: rowCount + 1) { offsets, count in
            offsets[0] = 0
            for row in 0..<rowCount {
                let value = cell(row, output)
                offsets[row + 1] = offsets[row] + (value.isNull ? 0 : Int(value.count))
            }
            count = rowCount + 1
        }
        storage.bytes = strings[output].array()
        return storage
    }
}

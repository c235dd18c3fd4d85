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
        var total = 0
        for row in 0..<rowCount where !cell(row, output).isNull { total += Int(cell(row, output).count) }
        var storage = StringColumnStorage()
        storage.offsets = [Int](unsafeUninitializedCapacity: rowCount + 1) { offsets, count in
            offsets[0] = 0
            for row in 0..<rowCount {
                let value = cell(row, output)
                offsets[row + 1] = offsets[row] + (value.isNull ? 0 : Int(value.count))
            }
            count = rowCount + 1
        }
        storage.bytes = [UInt8](unsafeUninitializedCapacity: total) { bytes, count in
            scratch.withUnsafeBytes { scratch in
                var end = 0
                for row in 0..<rowCount {
                    let value = cell(row, output)
                    guard !value.isNull, value.count > 0 else { continue }
                    let from =
                        value.word >= 0
                        ? source.baseAddress! + Int(value.word) : scratch.baseAddress! + Int(~value.word)
                    Self.copy(from, to: bytes.baseAddress! + end, count: Int(value.count))
                    end += Int(value.count)
                }
                count = end
            }
        }
        return storage
    }

    /// Copies a short string a word at a time (a libc call per value costs more than the copy).
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        var done = 0
        while count - done >= 8 {
            UnsafeMutableRawPointer(target + done).storeBytes(
                of: source.loadUnaligned(fromByteOffset: done, as: UInt64.self), as: UInt64.self)
            done += 8
        }
        while done < count {
            target[done] = source.load(fromByteOffset: done, as: UInt8.self)
            done += 1
        }
    }
}

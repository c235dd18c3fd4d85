/// Builds the output of `RecordDecoder.decode`: cells of accepted rows, dead letters in source
/// order, and at the end the typed columns. A record's cells are written into the next row's
/// place and only kept when the whole record converts, so a failed record leaves nothing behind.
struct RowBuilder: ~Copyable {
    let plan: DecodePlan
    let source: UnsafeRawBufferPointer
    let outputCount: Int
    /// Rows × outputs cells, row-major; `rowCount` rows are complete. A string cell holds where
    /// its bytes are in its column's `strings` buffer.
    let cells: UnsafeMutablePointer<DecodedCell>
    /// Per output column: the bytes of its strings (allocated for string columns only).
    let strings: UnsafeMutablePointer<StringBytesBuffer>
    let isString: [Bool]
    var rowCount = 0
    var recordIndexes: [Int] = []
    var deadLetters: [DeadLetter] = []
    /// Unescaped text of the current record's fields.
    var scratch: [UInt8] = []

    init(plan: DecodePlan, source: UnsafeRawBufferPointer, records: Int) {
        self.plan = plan
        self.source = source
        outputCount = plan.outputSchema.count
        cells = .allocate(capacity: max(1, records * outputCount))
        isString = plan.outputSchema.fields.map { $0.type == .string }
        strings = .allocate(capacity: max(1, outputCount))
        // A string column rarely holds more than a tenth of the records' bytes; it grows if it must.
        let sourceBytes = min(source.count, records * 512)
        for (output, isString) in isString.enumerated() where isString {
            (strings + output).initialize(to: StringBytesBuffer(capacity: sourceBytes / 8))
        }
        recordIndexes.reserveCapacity(records)
    }

    deinit {
        for (output, isString) in isString.enumerated() where isString { strings[output].deallocate() }
        strings.deallocate()
        cells.deallocate()
    }

    /// Stores slot `slot`'s cell into the row being built, or returns why the record fails.
    @inline(__always)
    mutating func store(_ slot: Int, _ cell: DecodedCell) -> DeadLetterReason? {
        if cell.isNull {
            if slot == plan.eventTimeSlot { return .missingEventTime }
            if !plan.nullables[slot] {
                return .badValue(column: plan.names[slot], detail: ConversionFailure.nullInNotNullColumn.detail)
            }
        }
        let output = plan.outputIndexes[slot]
        guard output >= 0 else { return nil }
        cells[rowCount * outputCount + output] = isString[output] && !cell.isNull ? copyString(cell, output) : cell
        return nil
    }

    /// Copies a string cell's bytes (from the source or the scratch) into its column's buffer.
    @inline(__always)
    mutating func copyString(_ cell: DecodedCell, _ output: Int) -> DecodedCell {
        let count = Int(cell.count)
        guard count > 0 else { return .source(start: strings[output].count, count: 0) }
        guard cell.word < 0 else {
            let start = strings[output].append(source.baseAddress! + Int(cell.word), count)
            return .source(start: start, count: count)
        }
        let start = scratch.withUnsafeBytes { scratch in
            strings[output].append(scratch.baseAddress! + Int(~cell.word), count)
        }
        return .source(start: start, count: count)
    }

    /// The reason for a record whose slot `slot` did not convert.
    func reason(_ slot: Int, _ failure: ConversionFailure) -> DeadLetterReason {
        slot == plan.eventTimeSlot
            ? .badEventTime(failure.detail) : .badValue(column: plan.names[slot], detail: failure.detail)
    }

    /// Keeps the row built for record `index`.
    @inline(__always)
    mutating func commit(record index: Int) {
        for (output, isString) in isString.enumerated() where isString { strings[output].keep() }
        recordIndexes.append(index)
        rowCount += 1
    }

    /// Sends record `index` to the dead letters, dropping whatever its fields left behind.
    mutating func reject(_ index: Int, of records: SourceRecords, _ reason: DeadLetterReason) {
        for (output, isString) in isString.enumerated() where isString { strings[output].drop() }
        deadLetters.append(
            DeadLetter(
                partition: records.partition, offset: records.offsets[index], reason: reason,
                raw: records.value(at: index) ?? []))
    }

    /// Record `index`'s bytes, or nil after sending a null value (a tombstone) to the dead letters.
    @inline(__always)
    mutating func value(_ index: Int, of records: SourceRecords) -> UnsafeRawBufferPointer? {
        let length = Int(records.valueLengths[index])
        guard length >= 0 else {
            reject(index, of: records, .nullValue)
            return nil
        }
        let start = records.valueStarts[index]
        precondition(start >= 0 && start <= source.count - length, "a record's value lies outside its buffer")
        return UnsafeRawBufferPointer(rebasing: source[start..<start + length])
    }
}

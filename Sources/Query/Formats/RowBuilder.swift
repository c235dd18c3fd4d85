/// Builds the output of `RecordDecoder.decode`: cells of accepted rows, dead letters in source
/// order, and at the end the typed columns. A record's cells are written into the next row's
/// place and only kept when the whole record converts, so a failed record leaves nothing behind.
struct RowBuilder: ~Copyable {
    let plan: DecodePlan
    let source: UnsafeRawBufferPointer
    let outputCount: Int
    /// Rows × outputs cells, row-major; `rowCount` rows are complete.
    let cells: UnsafeMutablePointer<DecodedCell>
    var rowCount = 0
    var recordIndexes: [Int] = []
    var deadLetters: [DeadLetter] = []
    /// Unescaped text of accepted string fields, for the whole batch.
    var scratch: [UInt8] = []

    init(plan: DecodePlan, source: UnsafeRawBufferPointer, records: Int) {
        self.plan = plan
        self.source = source
        outputCount = plan.outputSchema.count
        cells = .allocate(capacity: max(1, records * outputCount))
        recordIndexes.reserveCapacity(records)
    }

    deinit { cells.deallocate() }

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
        if output >= 0 { cells[rowCount * outputCount + output] = cell }
        return nil
    }

    /// The reason for a record whose slot `slot` did not convert.
    func reason(_ slot: Int, _ failure: ConversionFailure) -> DeadLetterReason {
        slot == plan.eventTimeSlot
            ? .badEventTime(failure.detail) : .badValue(column: plan.names[slot], detail: failure.detail)
    }

    /// Keeps the row built for record `index`.
    @inline(__always)
    mutating func commit(record index: Int) {
        recordIndexes.append(index)
        rowCount += 1
    }

    /// Sends record `index` to the dead letters, dropping the scratch text its fields left from `scratchMark`.
    mutating func reject(_ index: Int, of records: SourceRecords, _ reason: DeadLetterReason, scratchMark: Int? = nil) {
        if let scratchMark { scratch.removeSubrange(scratchMark...) }
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

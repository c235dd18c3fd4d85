/// Builds the output of `RecordDecoder.decode`: cells of accepted rows, dead letters in source
/// order, and at the end the typed columns. A record's cells are written into the next row's
/// place and only kept when the whole record converts, so a failed record leaves nothing behind.
struct RowBuilder: ~Copyable {
    let plan: DecodePlan
    let source: UnsafeRawBufferPointer
    let outputCount: Int
    /// Outputs × rows cells, column-major (`rowsMax` per column), so turning one column into an
    /// array reads it sequentially instead of touching every row's cache line once per column;
    /// `rowCount` rows are complete. A string cell holds where its bytes are in its column's
    /// `strings` buffer.
    let cells: UnsafeMutablePointer<DecodedCell>
    let rowsMax: Int
    /// Per output column: the bytes of its strings (allocated for string columns only).
    let strings: UnsafeMutablePointer<StringBytesBuffer>
    let isString: [Bool]
    /// Per slot, what `store` needs, flat so the per-field path reads no array.
    let targets: UnsafeMutablePointer<SlotTarget>
    /// The output columns that hold strings.
    let stringOutputs: UnsafeMutablePointer<Int>
    let stringOutputCount: Int
    var rowCount = 0
    /// Per kept row, the index of its record (`rowCount` of them).
    let recordIndexes: UnsafeMutablePointer<Int>
    var deadLetters: [DeadLetter] = []
    /// Unescaped text of the current record's fields.
    var scratch: [UInt8] = []

    init(plan: DecodePlan, source: UnsafeRawBufferPointer, records: Int) {
        self.plan = plan
        self.source = source
        outputCount = plan.outputSchema.count
        rowsMax = records
        cells = .allocate(capacity: max(1, records * outputCount))
        isString = plan.outputSchema.fields.map { $0.type == .string }
        strings = .allocate(capacity: max(1, outputCount))
        // A string column rarely holds more than a tenth of the records' bytes; it grows if it must.
        let sourceBytes = min(source.count, records * 512)
        for (output, isString) in isString.enumerated() where isString {
            (strings + output).initialize(to: StringBytesBuffer(capacity: sourceBytes / 8))
        }
        recordIndexes = .allocate(capacity: max(1, records))
        targets = .allocate(capacity: max(1, plan.slotCount))
        for slot in 0..<plan.slotCount {
            let output = plan.outputIndexes[slot]
            (targets + slot).initialize(
                to: SlotTarget(
                    output: output, isString: output >= 0 && isString[output], nullable: plan.nullables[slot],
                    isEventTime: slot == plan.eventTimeSlot, storesInt64: plan.types[slot].storesInt64,
                    isTimestamp: plan.types[slot] == .timestamp))
        }
        let stringOutputs = plan.outputSchema.fields.indices.filter { plan.outputSchema.fields[$0].type == .string }
        self.stringOutputs = .allocate(capacity: max(1, stringOutputs.count))
        self.stringOutputs.initialize(from: stringOutputs, count: stringOutputs.count)
        stringOutputCount = stringOutputs.count
    }

    deinit {
        for (output, isString) in isString.enumerated() where isString { strings[output].deallocate() }
        strings.deallocate()
        cells.deallocate()
        recordIndexes.deallocate()
        targets.deallocate()
        stringOutputs.deallocate()
    }

    /// Stores slot `slot`'s cell into the row being built, or returns why the record fails.
    @inline(__always)
    mutating func store(_ slot: Int, _ cell: DecodedCell) -> DeadLetterReason? {
        let target = targets[slot]
        if cell.isNull {
            if target.isEventTime { return .missingEventTime }
            if !target.nullable {
                return .badValue(column: plan.names[slot], detail: ConversionFailure.nullInNotNullColumn.detail)
            }
        }
        guard target.output >= 0 else { return nil }
        let stored: DecodedCell
        if target.isString {
            // A null string's word holds where its column's bytes stand, so every string cell
            // tells where the kept bytes end (see `reject`).
            stored = cell.isNull ? .nullString(at: strings[target.output].count) : copyString(cell, target.output)
        } else {
            stored = cell
        }
        cells[target.output * rowsMax + rowCount] = stored
        return nil
    }

    /// Stores a valid integer for `target` (a BIGINT or TIMESTAMP slot; nothing to check).
    @inline(__always)
    mutating func store(_ target: SlotTarget, int64 value: Int64) {
        guard target.output >= 0 else { return }
        cells[target.output * rowsMax + rowCount] = .int64(value)
    }

    /// Stores `count` bytes of the source from `start` for `target`, a string slot with an output.
    @inline(__always)
    mutating func store(_ target: SlotTarget, sourceStart start: Int, count: Int) {
        let stringStart = strings[target.output].append(source.baseAddress! + start, count)
        cells[target.output * rowsMax + rowCount] = .source(start: stringStart, count: count)
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
        recordIndexes[rowCount] = index
        rowCount += 1
    }

    /// Where the kept rows' bytes of string column `output` end: after the last kept row's string
    /// (every kept row has a cell in every column, and a null string's cell holds the position).
    @inline(__always)
    func keptStringBytes(_ output: Int) -> Int {
        guard rowCount > 0 else { return 0 }
        let last = cells[output * rowsMax + rowCount - 1]
        return Int(last.word) + (last.isNull ? 0 : Int(last.count))
    }

    /// Sends record `index` to the dead letters, dropping whatever its fields left behind.
    mutating func reject(_ index: Int, of records: SourceRecords, _ reason: DeadLetterReason) {
        for position in 0..<stringOutputCount {
            let output = stringOutputs[position]
            strings[output].truncate(to: keptStringBytes(output))
        }
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

/// Where a slot's cell goes and what a null there means.
struct SlotTarget {
    /// The output column, or -1 for an event-time slot kept only for the check.
    let output: Int
    let isString: Bool
    let nullable: Bool
    let isEventTime: Bool
    /// BIGINT or TIMESTAMP.
    let storesInt64: Bool
    /// TIMESTAMP: a plain string may take the common ISO-8601 form's parser.
    let isTimestamp: Bool
}

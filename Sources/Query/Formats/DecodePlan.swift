/// What a record decoder extracts: one slot per decoded column, plus the source's event-time
/// column when the job does not use it (it is still checked, so a record without a valid event
/// time is a dead letter whatever the job decodes). Slots are in source-schema order.
struct DecodePlan: Sendable {
    /// Per slot: index into the source schema, name, type, nullability, and the input-batch
    /// column it fills (-1 for an event-time slot kept only for the check).
    let schemaIndexes: [Int]
    let names: [String]
    let types: [DataType]
    let nullables: [Bool]
    let outputIndexes: [Int]
    /// The slot of the source's event-time column, or -1.
    let eventTimeSlot: Int
    /// The slots in the order their failures decide a dead letter's reason: event time first.
    let checkOrder: [Int]
    /// The schema of the input batch: the decoded columns in `decodedColumns` order.
    let outputSchema: Schema

    var slotCount: Int { types.count }

    /// The plan for `decodedColumns` (ascending indexes into `source.schema`).
    init(source: SourceSpec, decodedColumns: [Int]) {
        let fields = source.schema.fields
        // A batch counts its rows by its columns, so a job that reads no field still decodes one.
        precondition(!decodedColumns.isEmpty, "decode at least one column: a batch without columns has no rows")
        precondition(decodedColumns.allSatisfy { fields.indices.contains($0) }, "a decoded column is not in the schema")
        precondition(
            zip(decodedColumns, decodedColumns.dropFirst()).allSatisfy { $0 < $1 }, "decoded columns must ascend")
        var wanted = decodedColumns
        if let eventTime = source.eventTimeColumn {
            precondition(fields.indices.contains(eventTime), "the event-time column is not in the schema")
            if !wanted.contains(eventTime) { wanted = (wanted + [eventTime]).sorted() }
        }
        schemaIndexes = wanted
        names = wanted.map { fields[$0].name }
        types = wanted.map { fields[$0].type }
        nullables = wanted.map { fields[$0].nullable }
        outputIndexes = wanted.map { decodedColumns.firstIndex(of: $0) ?? -1 }
        let eventTimeSlot = source.eventTimeColumn.flatMap { wanted.firstIndex(of: $0) } ?? -1
        self.eventTimeSlot = eventTimeSlot
        checkOrder = (eventTimeSlot >= 0 ? [eventTimeSlot] : []) + wanted.indices.filter { $0 != eventTimeSlot }
        outputSchema = Schema(decodedColumns.map { fields[$0] })
    }
}

/// ASCII helpers shared by the decoders.
enum ASCII {
    /// `byte` with A...Z mapped to a...z.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte }

    /// True for 0...9.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}

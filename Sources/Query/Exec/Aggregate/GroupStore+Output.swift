extension GroupStore {
    /// The group rows of `slots`, in the plan's group-row layout: window start and end (when
    /// windowed), the keys, then each aggregate's result.
    func groupRows(_ slots: [Int32], schema: Schema) -> RecordBatch {
        var columns: [Column] = []
        var field = 0
        if layout.isWindowed {
            columns.append(Column.int64s(.timestamp, slots.map { windowStart[Int($0)] }, nulls: []))
            columns.append(Column.int64s(.timestamp, slots.map { windowEnd[Int($0)] }, nulls: []))
            field = 2
        }
        var keyColumns = layout.keyTypes.map { type -> Column in
            var column = Column(type)
            column.reserve(slots.count)
            return column
        }
        for slot in slots {
            let values = withKeyBytes(of: slot) { KeyCodec.decode(Array($0), types: layout.keyTypes) }
            for index in keyColumns.indices {
                // Keys were checked when they arrived, so a value always fits its column.
                keyColumns[index].append(values?[index] ?? .null)
            }
        }
        columns += keyColumns
        field += keyColumns.count
        for (index, accumulator) in accumulators.enumerated() {
            columns.append(accumulator.result(slots, type: schema.fields[field + index].type))
        }
        return RecordBatch(schema: schema, columns: columns)
    }
}

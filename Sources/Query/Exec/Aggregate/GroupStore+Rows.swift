/// What a map task aggregates: the rows kept, and the input columns the plan's expressions gave.
struct AggregationInput {
    /// Row numbers of the input batch that pass the filter and are not late.
    var rows: [Int32]
    /// The window's event time per input row (TIMESTAMP); nil when unwindowed.
    var times: Column?
    /// The GROUP BY key columns.
    var keys: [Column]
    /// Each aggregate's argument column (nil for count(*)), already at its value type.
    var arguments: [Column?]
}

extension GroupStore {
    /// Aggregates rows into groups (the map side): each row goes to the group of its key in each
    /// window it falls in. Rows with a NULL event time fall in no window and are skipped, as in Spark.
    mutating func aggregate(_ input: AggregationInput, window: WindowSpec?) {
        let keyIds = internKeys(input)
        var pairRows: [Int32] = []
        var pairSlots: [Int32] = []
        pairRows.reserveCapacity(input.rows.count)
        pairSlots.reserveCapacity(input.rows.count)
        switch window {
        case nil:
            var last: (key: Int32, slot: Int32) = (-1, -1)
            for (index, row) in input.rows.enumerated() {
                let key = keyIds[index]
                if key != last.key { last = (key, slot(key: key, start: 0, end: 0)) }
                pairRows.append(row)
                pairSlots.append(last.slot)
            }
        case .tumbling(let sizeMs)?:
            assignTumbling(input, keyIds: keyIds, sizeMs: sizeMs, rows: &pairRows, slots: &pairSlots)
        case .sliding(let sizeMs, let slideMs)?:
            guard let times = input.times else { break }
            for (index, row) in input.rows.enumerated() where !times.isNull(Int(row)) {
                WindowAssigner.sliding(times.int64s[Int(row)], sizeMs: sizeMs, slideMs: slideMs) { start, end in
                    pairRows.append(row)
                    pairSlots.append(slot(key: keyIds[index], start: start, end: end))
                }
            }
        case .session(let gapMs)?:
            assignSessions(input, keyIds: keyIds, gapMs: gapMs, rows: &pairRows, slots: &pairSlots)
        }
        for index in accumulators.indices {
            accumulators[index].accumulate(input.arguments[index], rows: pairRows, slots: pairSlots)
        }
    }

    /// The key id of every kept row.
    private mutating func internKeys(_ input: AggregationInput) -> [Int32] {
        guard !input.keys.isEmpty else {
            let empty = [UInt8]().withUnsafeBytes { internKey($0) }
            return [Int32](repeating: empty, count: input.rows.count)
        }
        var ids = [Int32](repeating: 0, count: input.rows.count)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(64)
        for (index, row) in input.rows.enumerated() {
            scratch.removeAll(keepingCapacity: true)
            KeyCodec.encode(input.keys, row: Int(row), into: &scratch)
            ids[index] = scratch.withUnsafeBytes { internKey($0) }
        }
        return ids
    }

    private mutating func assignTumbling(
        _ input: AggregationInput, keyIds: [Int32], sizeMs: Int64, rows: inout [Int32], slots: inout [Int32]
    ) {
        guard let times = input.times else { return }
        // Rows arrive roughly in time order, so consecutive rows nearly always share a group: a
        // row whose time falls in the last row's window needs no division to place it.
        var last: (key: Int32, start: Int64, end: Int64, slot: Int32) = (-1, 0, 0, -1)
        times.int64s.withUnsafeBufferPointer { values in
            input.rows.withUnsafeBufferPointer { kept in
                keyIds.withUnsafeBufferPointer { keyIds in
                    for index in 0..<kept.count {
                        let row = Int(kept[index])
                        if times.isNull(row) { continue }
                        let time = values[row]
                        let key = keyIds[index]
                        if key != last.key || time < last.start || time >= last.end {
                            guard let window = WindowAssigner.tumbling(time, sizeMs: sizeMs) else { continue }
                            last = (key, window.start, window.end, slot(key: key, start: window.start, end: window.end))
                        }
                        rows.append(kept[index])
                        slots.append(last.slot)
                    }
                }
            }
        }
    }

    /// Map-side sessions: each key's rows sorted by time, split where the next row starts at or
    /// after the current session's end. The reducer merges sessions across tasks and batches.
    private mutating func assignSessions(
        _ input: AggregationInput, keyIds: [Int32], gapMs: Int64, rows: inout [Int32], slots: inout [Int32]
    ) {
        guard let times = input.times else { return }
        var order = input.rows.indices.filter { index in
            let row = Int(input.rows[index])
            return !times.isNull(row) && WindowAssigner.session(times.int64s[row], gapMs: gapMs) != nil
        }
        order.sort { a, b in
            let (timeA, timeB) = (times.int64s[Int(input.rows[a])], times.int64s[Int(input.rows[b])])
            return keyIds[a] != keyIds[b] ? keyIds[a] < keyIds[b] : timeA < timeB
        }
        var current: (key: Int32, slot: Int32, start: Int64, end: Int64) = (-1, -1, 0, 0)
        for index in order {
            let row = input.rows[index]
            guard let window = WindowAssigner.session(times.int64s[Int(row)], gapMs: gapMs) else { continue }
            if keyIds[index] == current.key && window.start < current.end {
                current.end = max(current.end, window.end)
                setWindow(current.slot, start: current.start, end: current.end)
            } else {
                let slot = appendSlot(key: keyIds[index], start: window.start, end: window.end)
                current = (keyIds[index], slot, window.start, window.end)
            }
            rows.append(row)
            slots.append(current.slot)
        }
    }
}

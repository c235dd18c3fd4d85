extension Accumulator {
    /// Adds rows to groups (the map side): pair `i` adds row `rows[i]` of `argument` to group
    /// `slots[i]`. `argument` is nil for count(*) and already has the aggregate's value type.
    mutating func accumulate(_ argument: Column?, rows: [Int32], slots: [Int32]) {
        guard let argument else {
            precondition(kind == .countStar, "only count(*) has no argument")
            int64s.withUnsafeMutableBufferPointer { counts in for slot in slots { counts[Int(slot)] += 1 } }
            return
        }
        switch kind {
        case .countStar, .count:
            int64s.withUnsafeMutableBufferPointer { counts in
                for pair in 0..<rows.count where !argument.isNull(Int(rows[pair])) { counts[Int(slots[pair])] += 1 }
            }
        case .sumInt, .sumDouble, .avg:
            accumulateSums(argument, rows: rows, slots: slots)
        case .min, .max:
            accumulateExtremes(argument, rows: rows, slots: slots)
        case .distinct, .topK:
            var table = values
            values = SlotValueTable(counted: false)
            table.insertColumn(argument, rows: rows, slots: slots)
            values = table
        case .approxDistinct:
            ValueBytes.forEach(argument, rows: rows) { pair, bytes in
                let slot = Int(slots[pair])
                if sketches[slot].isEmpty { sketches[slot] = [UInt8](repeating: 0, count: HyperLogLog.registerCount) }
                let (index, rank) = HyperLogLog.position(StableHash.hash(bytes))
                if sketches[slot][index] < rank { sketches[slot][index] = rank }
            }
        }
    }

    private mutating func accumulateSums(_ argument: Column, rows: [Int32], slots: [Int32]) {
        for pair in 0..<rows.count {
            let row = Int(rows[pair])
            if argument.isNull(row) { continue }
            let slot = Int(slots[pair])
            switch kind {
            case .sumInt:
                int64s[slot] &+= argument.int64s[row]
                has[slot] = true
            case .sumDouble:
                doubles[slot] += argument.type == .double ? argument.doubles[row] : Double(argument.int64s[row])
                has[slot] = true
            default:
                doubles[slot] += argument.type == .double ? argument.doubles[row] : Double(argument.int64s[row])
                int64s[slot] += 1
            }
        }
    }

    private mutating func accumulateExtremes(_ argument: Column, rows: [Int32], slots: [Int32]) {
        guard let type = valueType else { return }
        for pair in 0..<rows.count {
            let row = Int(rows[pair])
            if argument.isNull(row) { continue }
            let slot = Int(slots[pair])
            switch OrderedStorage(type) {
            case .int64:
                let value = type == .bool ? (argument.bools[row] ? 1 : 0) : argument.int64s[row]
                if !has[slot] || better(value, than: int64s[slot]) { int64s[slot] = value }
            case .double:
                let value = argument.doubles[row]
                if !has[slot] || better(value, than: doubles[slot]) { doubles[slot] = value }
            case .string:
                argument.strings.withBytes(at: row) { bytes in
                    if !has[slot] || better(bytes, than: strings[slot]) { strings[slot] = Array(bytes) }
                }
            }
            has[slot] = true
        }
    }
}

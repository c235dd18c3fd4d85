extension Accumulator {
    /// The aggregate's final value for each group of `slots`, as a column of `type`.
    func result(_ slots: [Int32], type: DataType) -> Column {
        let column: Column
        switch kind {
        case .countStar, .count:
            column = Column.int64s(.int64, slots.map { int64s[Int($0)] }, nulls: [])
        case .sumInt:
            column = Column.int64s(.int64, slots.map { int64s[Int($0)] }, nulls: slots.map { !has[Int($0)] })
        case .sumDouble:
            column = Column.doubles(slots.map { doubles[Int($0)] }, nulls: slots.map { !has[Int($0)] })
        case .avg:
            let values = slots.map { int64s[Int($0)] == 0 ? 0 : doubles[Int($0)] / Double(int64s[Int($0)]) }
            column = Column.doubles(values, nulls: slots.map { int64s[Int($0)] == 0 })
        case .min(let valueType), .max(let valueType):
            column = extremes(slots, valueType: valueType)
        case .distinct:
            column = Column.int64s(
                .int64, slots.map { values.sizes.count > Int($0) ? values.sizes[Int($0)] : 0 }, nulls: [])
        case .approxDistinct:
            let estimates = slots.map { slot -> Int64 in
                let sketch = sketches[Int(slot)]
                return sketch.isEmpty ? 0 : Int64(HyperLogLog.estimate(sketch).rounded())
            }
            column = Column.int64s(.int64, estimates, nulls: [])
        case .topK(let k, let valueType):
            var out = Column(.string)
            for slot in slots { out.append(string: TopKFormat.json(values, slot: slot, k: k, type: valueType)) }
            column = out
        }
        return column.type == type ? column : Cast.cast(column, to: type)
    }

    private func extremes(_ slots: [Int32], valueType: DataType) -> Column {
        let nulls = slots.map { !has[Int($0)] }
        switch OrderedStorage(valueType) {
        case .int64:
            let picked = slots.map { int64s[Int($0)] }
            if valueType == .bool { return Column.bools(picked.map { $0 != 0 }, nulls: nulls) }
            return Column.int64s(valueType, picked, nulls: nulls)
        case .double:
            return Column.doubles(slots.map { doubles[Int($0)] }, nulls: nulls)
        case .string:
            var storage = StringColumnStorage()
            for (position, slot) in slots.enumerated() {
                if !nulls[position] { storage.bytes.append(contentsOf: strings[Int(slot)]) }
                storage.offsets.append(storage.bytes.count)
            }
            return Column.strings(storage, nulls: nulls)
        }
    }
}

/// The text of a `top_k` result: a JSON array of `{"value":…,"count":n}`, most frequent first,
/// ties in ascending value order. Strings and timestamps (ISO-8601) are JSON strings; a DOUBLE
/// that JSON cannot spell (NaN, ±Infinity) is written as a string too.
enum TopKFormat {
    static func json(_ table: SlotValueTable, slot: Int32, k: Int, type: DataType) -> String {
        let ranked = table.entries(of: slot).sorted { a, b in
            let countA = table.count(of: a)
            let countB = table.count(of: b)
            if countA != countB { return countA > countB }
            return table.withBytes(of: a) { bytesA in
                table.withBytes(of: b) { bytesB in precedes(bytesA, bytesB, type: type) }
            }
        }
        var text = "["
        for (position, entry) in ranked.prefix(k).enumerated() {
            if position > 0 { text += "," }
            let value = table.withBytes(of: entry) { ValueBytes.value($0, type: type) }
            text += "{\"value\":" + literal(value) + ",\"count\":" + String(table.count(of: entry)) + "}"
        }
        return text + "]"
    }

    /// Ascending SQL order of two encoded values of `type`.
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, type: DataType) -> Bool {
        switch (ValueBytes.value(a, type: type), ValueBytes.value(b, type: type)) {
        case (.int64(let x), .int64(let y)), (.timestamp(let x), .timestamp(let y)): return x < y
        case (.double(let x), .double(let y)): return Kernels.doubleOrderKey(x) < Kernels.doubleOrderKey(y)
        case (.bool(let x), .bool(let y)): return !x && y
        default: return compareBytes(a.assumingMemoryBound(to: UInt8.self), b.assumingMemoryBound(to: UInt8.self)) < 0
        }
    }

    static func literal(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int64(let int): String(int)
        case .double(let double): double.isFinite ? String(double) : quoted(Cast.doubleText(double))
        case .string(let text): quoted(text)
        case .timestamp(let ms): quoted(CivilTime.iso8601(ms))
        }
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Helpers that build result columns in bulk. Every builder keeps the Column invariant that a
/// null row's value slot holds zero, false or an empty string.
extension Column {
    /// An int64 or timestamp column of `values`, NULL where `nulls` says (slots zeroed).
    static func int64s(_ type: DataType, _ values: [Int64], nulls: [Bool]) -> Column {
        var values = values
        if !nulls.isEmpty { for index in values.indices where nulls[index] { values[index] = 0 } }
        return Column(type, count: values.count, nulls: nulls, int64s: values)
    }

    /// A double column of `values`, NULL where `nulls` says (slots zeroed).
    static func doubles(_ values: [Double], nulls: [Bool]) -> Column {
        var values = values
        if !nulls.isEmpty { for index in values.indices where nulls[index] { values[index] = 0 } }
        return Column(.double, count: values.count, nulls: nulls, doubles: values)
    }

    /// A bool column of `values`, NULL where `nulls` says (slots cleared).
    static func bools(_ values: [Bool], nulls: [Bool]) -> Column {
        var values = values
        if !nulls.isEmpty { for index in values.indices where nulls[index] { values[index] = false } }
        return Column(.bool, count: values.count, nulls: nulls, bools: values)
    }

    /// A string column; the caller appended an empty value for every null row.
    static func strings(_ storage: StringColumnStorage, nulls: [Bool]) -> Column {
        Column(.string, count: storage.count, nulls: nulls, strings: storage)
    }

    /// The null flags of each row, materialized (all false when the column has no nulls).
    var nullFlags: [Bool] { hasNulls ? nulls : [Bool](repeating: false, count: count) }

    /// Rows that are NULL in `a` or in `b`; empty when neither has a null.
    static func unionNulls(_ a: Column, _ b: Column) -> [Bool] {
        switch (a.hasNulls, b.hasNulls) {
        case (false, false): return []
        case (true, false): return a.nulls
        case (false, true): return b.nulls
        case (true, true): return zip(a.nulls, b.nulls).map { $0 || $1 }
        }
    }

    /// `count` NULLs of `type`.
    static func allNull(_ type: DataType, count: Int) -> Column {
        let nulls = [Bool](repeating: true, count: count)
        switch type {
        case .bool: return bools([Bool](repeating: false, count: count), nulls: nulls)
        case .int64, .timestamp: return int64s(type, [Int64](repeating: 0, count: count), nulls: nulls)
        case .double: return doubles([Double](repeating: 0, count: count), nulls: nulls)
        case .string: return strings(StringColumnStorage(repeating: [], count: count), nulls: nulls)
        }
    }

    /// `count` copies of `value`, which must be NULL or of `type` (an int64 also fits a timestamp).
    static func constant(_ value: Value, type: DataType, count: Int) -> Column? {
        switch (value, type) {
        case (.null, _): return allNull(type, count: count)
        case (.bool(let bool), .bool): return bools([Bool](repeating: bool, count: count), nulls: [])
        case (.int64(let int), .int64), (.int64(let int), .timestamp), (.timestamp(let int), .timestamp):
            return int64s(type, [Int64](repeating: int, count: count), nulls: [])
        case (.double(let double), .double): return doubles([Double](repeating: double, count: count), nulls: [])
        case (.string(let text), .string):
            return strings(StringColumnStorage(repeating: Array(text.utf8), count: count), nulls: [])
        default: return nil
        }
    }

    /// Appends row `row` of `source` (same storage type) to this column.
    mutating func append(from source: Column, row: Int) {
        if source.isNull(row) {
            appendNull()
            return
        }
        switch type {
        case .bool: append(bool: source.bools[row])
        case .int64, .timestamp: append(int64: source.int64s[row])
        case .double: append(double: source.doubles[row])
        case .string: source.strings.withBytes(at: row) { append(utf8: $0) }
        }
    }
}

extension StringColumnStorage {
    /// `count` copies of `utf8`.
    init(repeating utf8: [UInt8], count: Int) {
        self.init()
        bytes.reserveCapacity(utf8.count * count)
        offsets.reserveCapacity(count + 1)
        for _ in 0..<count {
            bytes.append(contentsOf: utf8)
            offsets.append(bytes.count)
        }
    }

    /// Compares rows bytewise, which is Unicode code point order for UTF-8.
    @inline(__always)
    static func compare(_ a: StringColumnStorage, _ rowA: Int, _ b: StringColumnStorage, _ rowB: Int) -> Int {
        let rangeA = a.range(at: rowA)
        let rangeB = b.range(at: rowB)
        return a.bytes.withUnsafeBufferPointer { bytesA in
            b.bytes.withUnsafeBufferPointer { bytesB in
                compareBytes(
                    UnsafeBufferPointer(rebasing: bytesA[rangeA]), UnsafeBufferPointer(rebasing: bytesB[rangeB]))
            }
        }
    }
}

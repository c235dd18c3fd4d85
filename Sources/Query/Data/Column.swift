/// One typed column of a batch. Values live in the typed array that matches `type` (the others
/// stay empty and allocate nothing); `nulls` marks null rows and is empty while no row is null,
/// so the common all-valid column costs nothing extra. A null row still has a slot (zero, false,
/// or an empty string) in the value array so that row `i` is always at index `i`.
public struct Column: Sendable, Equatable {
    /// The type of every value.
    public let type: DataType
    /// Number of rows.
    public private(set) var count: Int = 0
    /// `nulls[i]` is true when row `i` is NULL; empty when no row is.
    public private(set) var nulls: [Bool] = []
    /// Values of a `.bool` column.
    public var bools: [Bool] = []
    /// Values of an `.int64` or `.timestamp` column.
    public var int64s: [Int64] = []
    /// Values of a `.double` column.
    public var doubles: [Double] = []
    /// Values of a `.string` column.
    public var strings = StringColumnStorage()

    /// An empty column of `type`.
    public init(_ type: DataType) { self.type = type }

    /// A column over value arrays built in bulk (by vectorized operators): the array matching
    /// `type` holds `count` values and the others are empty; `nulls` is empty or holds `count` flags
    /// (an all-false mask is dropped). A null row's value must be zero, false or an empty string.
    public init(
        _ type: DataType, count: Int, nulls: [Bool] = [], bools: [Bool] = [], int64s: [Int64] = [],
        doubles: [Double] = [], strings: StringColumnStorage = StringColumnStorage()
    ) {
        precondition(nulls.isEmpty || nulls.count == count, "a null mask needs one flag per row")
        let lengths = (bools.count, int64s.count, doubles.count, strings.count)
        switch type {
        case .bool: precondition(lengths == (count, 0, 0, 0), "a bool column needs \(count) bools only")
        case .int64, .timestamp: precondition(lengths == (0, count, 0, 0), "an int64 column needs \(count) int64s only")
        case .double: precondition(lengths == (0, 0, count, 0), "a double column needs \(count) doubles only")
        case .string: precondition(lengths == (0, 0, 0, count), "a string column needs \(count) strings only")
        }
        self.type = type
        self.count = count
        self.nulls = nulls.contains(true) ? nulls : []
        self.bools = bools
        self.int64s = int64s
        self.doubles = doubles
        self.strings = strings
    }

    /// True when at least one row is NULL.
    @inlinable public var hasNulls: Bool { !nulls.isEmpty }

    /// True when row `index` is NULL.
    @inlinable public func isNull(_ index: Int) -> Bool { !nulls.isEmpty && nulls[index] }

    /// Reserves room for `rows` more rows.
    public mutating func reserve(_ rows: Int) {
        switch type {
        case .bool: bools.reserveCapacity(count + rows)
        case .int64, .timestamp: int64s.reserveCapacity(count + rows)
        case .double: doubles.reserveCapacity(count + rows)
        case .string: strings.reserve(rows: rows, bytesPerRow: 16)
        }
    }

    /// Appends a NULL row.
    public mutating func appendNull() {
        if nulls.isEmpty { nulls = [Bool](repeating: false, count: count) }
        nulls.append(true)
        switch type {
        case .bool: bools.append(false)
        case .int64, .timestamp: int64s.append(0)
        case .double: doubles.append(0)
        case .string: strings.appendEmpty()
        }
        count += 1
    }

    /// Appends a value to a `.bool` column.
    @inlinable public mutating func append(bool value: Bool) {
        precondition(type == .bool, "append(bool:) on a \(type) column")
        bools.append(value)
        appendedValid()
    }

    /// Appends a value to an `.int64` or `.timestamp` column.
    @inlinable public mutating func append(int64 value: Int64) {
        precondition(type.storesInt64, "append(int64:) on a \(type) column")
        int64s.append(value)
        appendedValid()
    }

    /// Appends a value to a `.double` column.
    @inlinable public mutating func append(double value: Double) {
        precondition(type == .double, "append(double:) on a \(type) column")
        doubles.append(value)
        appendedValid()
    }

    /// Appends validated UTF-8 bytes to a `.string` column.
    @inlinable public mutating func append(utf8 value: UnsafeRawBufferPointer) {
        precondition(type == .string, "append(utf8:) on a \(type) column")
        strings.append(value)
        appendedValid()
    }

    /// Appends a value to a `.string` column.
    public mutating func append(string value: String) {
        precondition(type == .string, "append(string:) on a \(type) column")
        strings.append(value)
        appendedValid()
    }

    /// Bookkeeping after a non-null value went into the value array.
    @usableFromInline mutating func appendedValid() {
        if !nulls.isEmpty { nulls.append(false) }
        count += 1
    }

    /// Appends a boxed value; it must be NULL or of this column's type (an int64 also fits a
    /// timestamp column). Returns false, appending nothing, when it does not fit.
    @discardableResult
    public mutating func append(_ value: Value) -> Bool {
        switch (value, type) {
        case (.null, _): appendNull()
        case (.bool(let bool), .bool): append(bool: bool)
        case (.int64(let int), .int64), (.int64(let int), .timestamp), (.timestamp(let int), .timestamp):
            append(int64: int)
        case (.double(let double), .double): append(double: double)
        case (.string(let string), .string): append(string: string)
        default: return false
        }
        return true
    }

    /// Row `index` boxed (allocates for strings; for tests, output and slow paths).
    public func value(at index: Int) -> Value {
        if isNull(index) { return .null }
        switch type {
        case .bool: return .bool(bools[index])
        case .int64: return .int64(int64s[index])
        case .timestamp: return .timestamp(int64s[index])
        case .double: return .double(doubles[index])
        case .string: return .string(strings.string(at: index))
        }
    }

    /// A column of `type` holding `values` (each must fit, see `append(_:)`).
    public init(_ type: DataType, values: [Value]) {
        self.init(type)
        reserve(values.count)
        for value in values {
            let fits = append(value)
            precondition(fits, "value \(value) does not fit a \(type) column")
        }
    }
}

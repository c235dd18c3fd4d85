/// The partial state of one aggregate for every group (slot) of a store, in typed arrays indexed
/// by slot. Which arrays are used depends on `kind`; the others stay empty.
struct Accumulator: Sendable {
    /// How min and max keep their values.
    enum OrderedStorage {
        /// BIGINT, TIMESTAMP and BOOLEAN (as 0/1) in `int64s`.
        case int64
        /// DOUBLE in `doubles`, ordered with NaN above everything.
        case double
        /// STRING bytes in `strings`, ordered bytewise.
        case string

        init(_ type: DataType) {
            switch type {
            case .double: self = .double
            case .string: self = .string
            case .bool, .int64, .timestamp: self = .int64
            }
        }
    }

    let kind: AccumulatorKind
    /// count, count(*), BIGINT sum, avg's count, min/max of int64-stored types.
    var int64s: [Int64] = []
    /// DOUBLE sum, avg's sum, min/max of doubles.
    var doubles: [Double] = []
    /// sum/min/max: whether the group has seen a non-null value.
    var has: [Bool] = []
    /// min/max of strings.
    var strings: [[UInt8]] = []
    /// count(DISTINCT) and top_k: the values themselves (with counts for top_k).
    var values: SlotValueTable
    /// approx_count_distinct: HyperLogLog registers per group; empty until the first value.
    var sketches: [[UInt8]] = []
    /// Groups this accumulator covers.
    private(set) var slotCount = 0

    init(_ kind: AccumulatorKind, indexed: Bool, tracking: Bool) {
        self.kind = kind
        var counted = false
        if case .topK = kind { counted = true }
        values = SlotValueTable(counted: counted, indexed: indexed, tracking: tracking)
    }

    /// Adds one empty group.
    mutating func appendSlot() {
        slotCount += 1
        switch kind {
        case .countStar, .count: int64s.append(0)
        case .sumInt:
            int64s.append(0)
            has.append(false)
        case .sumDouble:
            doubles.append(0)
            has.append(false)
        case .avg:
            doubles.append(0)
            int64s.append(0)
        case .min(let type), .max(let type):
            has.append(false)
            switch OrderedStorage(type) {
            case .int64: int64s.append(0)
            case .double: doubles.append(0)
            case .string: strings.append([])
            }
        case .distinct, .topK: values.ensureSlots(slotCount)
        case .approxDistinct: sketches.append([])
        }
    }

    /// Bytes held, for state memory limits.
    var memoryBytes: Int {
        var total = int64s.capacity * 8 + doubles.capacity * 8 + has.capacity + values.memoryBytes
        total += strings.capacity * MemoryLayout<[UInt8]>.stride + sketches.capacity * MemoryLayout<[UInt8]>.stride
        for value in strings where !value.isEmpty { total += value.capacity + 32 }
        for sketch in sketches where !sketch.isEmpty { total += sketch.capacity + 32 }
        return total
    }

    /// The type of the argument values, for kinds that keep values.
    var valueType: DataType? {
        switch kind {
        case .countStar, .count, .sumInt, .sumDouble, .avg: nil
        case .min(let type), .max(let type), .distinct(let type), .approxDistinct(let type), .topK(_, let type): type
        }
    }

    /// True for max, false for min.
    var isMax: Bool { if case .max = kind { true } else { false } }

    /// Whether `candidate` should replace `current` as this min/max.
    @inline(__always)
    func better(_ candidate: Int64, than current: Int64) -> Bool { isMax ? candidate > current : candidate < current }

    /// The same for doubles, in SQL order (NaN above everything).
    @inline(__always)
    func better(_ candidate: Double, than current: Double) -> Bool {
        let a = Kernels.doubleOrderKey(candidate)
        let b = Kernels.doubleOrderKey(current)
        return isMax ? a > b : a < b
    }

    /// The same for strings, bytewise.
    func better(_ candidate: UnsafeRawBufferPointer, than current: [UInt8]) -> Bool {
        let order = current.withUnsafeBufferPointer { existing in
            compareBytes(candidate.assumingMemoryBound(to: UInt8.self), existing)
        }
        return isMax ? order > 0 : order < 0
    }
}

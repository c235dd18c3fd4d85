/// Tight loops over whole value arrays; the closures are specialized away in release builds.
enum Kernels {
    /// `[f(a[i], b[i])]` for arrays of equal length.
    @inline(__always)
    static func zipMap<T, R>(_ a: [T], _ b: [T], _ body: (T, T) -> R) -> [R] {
        precondition(a.count == b.count, "operand columns differ in length")
        return [R](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { left in
                b.withUnsafeBufferPointer { right in
                    for index in 0..<left.count {
                        (out.baseAddress! + index).initialize(to: body(left[index], right[index]))
                    }
                }
            }
            initialized = a.count
        }
    }

    /// `[f(a[i])]`.
    @inline(__always)
    static func map<T, R>(_ a: [T], _ body: (T) -> R) -> [R] {
        [R](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { values in
                for index in 0..<values.count { out.initializeElement(at: index, to: body(values[index])) }
            }
            initialized = a.count
        }
    }

    /// A key whose signed order is SQL's order of doubles: -0.0 equals 0.0, every NaN equals every
    /// other NaN and sorts above +infinity, as in Spark.
    @inline(__always)
    static func doubleOrderKey(_ value: Double) -> Int64 {
        if value.isNaN { return Int64.max }
        if value == 0 { return 0 }
        let bits = Int64(bitPattern: value.bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    /// The bit pattern grouping and hashing use: -0.0 and 0.0 are one value, as are all NaNs.
    @inline(__always)
    static func canonicalBits(_ value: Double) -> UInt64 {
        if value.isNaN { return Double.nan.bitPattern }
        if value == 0 { return 0 }
        return value.bitPattern
    }
}

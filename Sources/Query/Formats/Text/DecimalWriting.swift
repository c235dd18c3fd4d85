/// Decimal text of integers written straight into bytes (no String per number).
enum DecimalText {
    /// Most bytes `write` produces: a sign and the 20 digits of UInt64.max.
    static let bytesMax = 21

    /// Writes `value` as at least `width` digits (zero-padded) at `output`; returns the byte count.
    @inline(__always)
    static func write(_ value: UInt64, width: Int = 1, to output: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20 && value >= scale {
            digits += 1
            scale = scale &* 10
        }
        let count = max(digits, min(width, 20))
        var remaining = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            output[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return count
    }

    /// Writes `value` with a leading `-` when negative; returns the byte count.
    @inline(__always)
    static func write(_ value: Int64, to output: UnsafeMutablePointer<UInt8>) -> Int {
        guard value < 0 else { return write(UInt64(value), to: output) }
        output[0] = UInt8(ascii: "-")
        return 1 + write(value.magnitude, to: output + 1)
    }

    /// Appends `value` as at least `width` digits, zero-padded on the left.
    static func append(_ value: UInt64, width: Int = 1, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
            let count = write(value, width: width, to: scratch.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }

    /// Appends `value` in decimal with a leading `-` when negative.
    static func append(_ value: Int64, to output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
            let count = write(value, to: scratch.baseAddress!)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }
}

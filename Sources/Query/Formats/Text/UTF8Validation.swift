/// UTF-8 validation per RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
enum UTF8Validation {
    /// True when every byte of `bytes` belongs to a well-formed UTF-8 sequence.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var position = 0
        let count = bytes.count
        while position < count {
            // ASCII fast path, eight bytes at a time.
            while position + 8 <= count
                && (base + position).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                position += 8
            }
            guard position < count else { break }
            if base.load(fromByteOffset: position, as: UInt8.self) < 0x80 {
                position += 1
                continue
            }
            let length = sequenceLength(base.assumingMemoryBound(to: UInt8.self) + position, count - position)
            guard length > 0 else { return false }
            position += length
        }
        return true
    }

    /// The length of the well-formed multi-byte sequence starting at `start` (whose first byte is
    /// ≥ 0x80) within `available` bytes, or 0 when it is ill-formed or cut short.
    @inline(__always)
    static func sequenceLength(_ start: UnsafePointer<UInt8>, _ available: Int) -> Int {
        let lead = start[0]
        @inline(__always) func continuation(_ index: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            index < available && start[index] >= low && start[index] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0...0xEF:
            let second: Bool
            switch lead {
            case 0xE0: second = continuation(1, 0xA0)
            case 0xED: second = continuation(1, 0x80, 0x9F)
            default: second = continuation(1)
            }
            return second && continuation(2) ? 3 : 0
        case 0xF0...0xF4:
            let second: Bool
            switch lead {
            case 0xF0: second = continuation(1, 0x90)
            case 0xF4: second = continuation(1, 0x80, 0x8F)
            default: second = continuation(1)
            }
            return second && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }
}

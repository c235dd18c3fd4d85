#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// One bit per byte of a record, set where a string scan must look (`"`, `\`, a control
/// character, a byte of 0x80 and above), and for every position at and past the record's end.
/// Marked 64 bytes per step before the record is scanned, so a string's end is found from a word
/// or two of bits instead of a vector loop per string, whose varying exit was the scanner's
/// costliest branch.
struct JSONAttentionMap {
    private(set) var words: UnsafeMutablePointer<UInt64>
    /// Words of `words`.
    private(set) var capacity: Int

    init() {
        capacity = 8
        words = .allocate(capacity: capacity)
    }

    func deallocate() { words.deallocate() }

    /// Marks the `count` bytes at `base` (reading none past them); the bits, valid until the next call.
    @inline(__always)
    mutating func mark(_ base: UnsafePointer<UInt8>, count: Int) -> UnsafePointer<UInt64> {
        // One more word than the bytes need, all set: `JSONScanner.nextAttention` reads a word ahead.
        let wordsNeeded = count &>> 6 &+ 2
        if wordsNeeded > capacity { grow(to: wordsNeeded) }
        var block = 0
        while block &+ 1 <= count &>> 6 {
            words[block] = Self.blockMask(base + (block &<< 6))
            block &+= 1
        }
        let tailCount = count & 63
        // The last partial block: its bits, then every bit past the end set.
        let past = ~UInt64(0) &<< UInt64(tailCount)
        if tailCount == 0 {
            words[block] = past
        } else if count >= 64 {
            // The 64 bytes that end at the record's end, shifted down to the tail's bytes.
            words[block] = Self.blockMask(base + (count &- 64)) &>> UInt64(64 &- tailCount) | past
        } else {
            words[block] = Self.shortMask(base, count: tailCount) | past
        }
        words[block &+ 1] = ~0
        return UnsafePointer(words)
    }

    private mutating func grow(to wordsNeeded: Int) {
        words.deallocate()
        capacity = max(wordsNeeded, capacity * 2)
        words = .allocate(capacity: capacity)
    }

    /// The bits of the 64 bytes at `start`.
    @inline(__always)
    static func blockMask(_ start: UnsafePointer<UInt8>) -> UInt64 {
        #if arch(x86_64)
            let low = UInt64(vectorMask(start)) | UInt64(vectorMask(start + 16)) &<< 16
            let high = UInt64(vectorMask(start + 32)) | UInt64(vectorMask(start + 48)) &<< 16
            return low | high &<< 32
        #else
            return shortMask(start, count: 64)
        #endif
    }

    #if arch(x86_64)
        /// Bit i set when byte i of the 16 at `start` needs a look. Flipping bit 1 moves `"` (0x22)
        /// to 0x20 and keeps 0x00...0x1F below 0x20 (and 0x20 itself goes to 0x22), so one signed
        /// compare below 0x21 takes quotes, control characters and every byte of 0x80 and above
        /// (negative as `Int8`); backslashes take a second. SSE2, so on every x86-64 CPU.
        @inline(__always)
        static func vectorMask(_ start: UnsafePointer<UInt8>) -> UInt32 {
            let bytes = UnsafeRawPointer(start).loadUnaligned(as: __m128i.self)
            let flipped = _mm_xor_si128(bytes, _mm_set1_epi8(0x02))
            let quotesOrBelowSpace = _mm_cmplt_epi8(flipped, _mm_set1_epi8(0x21))
            let backslashes = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x5C))
            return UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_or_si128(quotesOrBelowSpace, backslashes)))
        }
    #endif

    /// The bits of `count` (at most 64) bytes at `start`, one at a time: records under 64 bytes.
    @inline(__always)
    static func shortMask(_ start: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var mask: UInt64 = 0
        for index in 0..<count {
            let byte = start[index]
            let look = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80
            mask |= (look ? 1 : 0) &<< UInt64(index)
        }
        return mask
    }
}

#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Runs of string-body bytes that need no look: anything but `"`, `\`, a control character or a
/// byte of 0x80 and above. Skipping them is most of a string's cost, so on x86-64 it takes 16
/// or 32 bytes per step with SSE2 (part of every x86-64 CPU, so no build flag); elsewhere, and for
/// the last 8 to 15 bytes, 8 bytes per step in a word. Neither reads a byte at or past `end`.
enum JSONPlainRun {
    typealias Cursor = UnsafePointer<UInt8>

    /// The first byte from `start` that needs a look, or the first of the last (fewer than 8)
    /// bytes before `end` when none does before them: the caller checks those one at a time.
    @inline(__always)
    static func skip(_ start: Cursor, end: Cursor) -> Cursor {
        #if arch(x86_64)
            // 32 bytes per step: most strings then end in the first step, so the loop's exit is
            // predictable, where 16-byte steps exited after a varying number of them.
            var cursor = start
            while end - cursor >= 32 {
                let mask = vectorMask(cursor) | vectorMask(cursor + 16) &<< 16
                if mask != 0 { return cursor + Int(mask.trailingZeroBitCount) }
                cursor += 32
            }
            if end - cursor >= 16 {
                let mask = vectorMask(cursor)
                if mask != 0 { return cursor + Int(mask.trailingZeroBitCount) }
                cursor += 16
            }
            return skipWords(cursor, end: end)
        #else
            return skipWords(start, end: end)
        #endif
    }

    /// `skip` 8 bytes per step only: the portable path, and the reference the vector path is tested against.
    @inline(__always)
    static func skipWords(_ start: Cursor, end: Cursor) -> Cursor {
        var cursor = start
        while end - cursor >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self))
            let mask = attentionMask(word)
            if mask != 0 { return cursor + mask.trailingZeroBitCount &>> 3 }
            cursor += 8
        }
        return cursor
    }

    #if arch(x86_64)
        /// Bit i set when byte i of the 16 at `cursor` needs a look. Flipping bit 1 moves `"` (0x22)
        /// to 0x20 and keeps 0x00...0x1F below 0x20 (and 0x20 itself goes to 0x22), so one signed
        /// compare below 0x21 takes quotes, control characters and every byte of 0x80 and above
        /// (negative as `Int8`); backslashes take a second.
        @inline(__always)
        static func vectorMask(_ cursor: Cursor) -> UInt32 {
            let bytes = UnsafeRawPointer(cursor).loadUnaligned(as: __m128i.self)
            let flipped = _mm_xor_si128(bytes, _mm_set1_epi8(0x02))
            let quotesOrBelowSpace = _mm_cmplt_epi8(flipped, _mm_set1_epi8(0x21))
            let backslashes = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x5C))
            return UInt32(truncatingIfNeeded: _mm_movemask_epi8(_mm_or_si128(quotesOrBelowSpace, backslashes)))
        }
    #endif

    /// The high bit of every byte lane of `word` holding `"`, `\`, a byte below 0x20 or a byte
    /// of 0x80 and above. Borrows can only mark lanes above a truly marked lane, so the lowest
    /// marked lane is always a real one.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let quoteLanes = (quotes &- ones) & ~quotes
        let backslashLanes = (backslashes &- ones) & ~backslashes
        let controlLanes = (word &- ones &* 0x20) & ~word
        return (quoteLanes | backslashLanes | controlLanes | word) & highs
    }
}

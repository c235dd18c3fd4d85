/// Decimal digits eight at a time in one little-endian word (the first byte in the low lane):
/// how many lead it and their value, with a few multiplies instead of one per digit.
enum SWARDigits {
    /// How many of the word's bytes, from the first, are ASCII digits (0...8).
    @inline(__always)
    static func leadingDigitCount(_ word: UInt64) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Per lane on the low seven bits (no carry can cross a lane): at least '0', above '9'.
        let low7 = word & ~highs
        let atLeastZero = low7 &+ ones &* (0x80 - 0x30)
        let aboveNine = low7 &+ ones &* (0x80 - 0x3A)
        let digits = atLeastZero & ~aboveNine & ~word & highs
        return (~digits & highs).trailingZeroBitCount &>> 3
    }

    /// The value of the first `count` (1...8) bytes of `word`, which are ASCII digits.
    @inline(__always)
    static func value(_ word: UInt64, count: Int) -> Int64 {
        // Digit values in the top `count` lanes, zeros below: the same number, as 8 digits.
        var lanes = (word & 0x0F0F_0F0F_0F0F_0F0F) &<< UInt64(8 &* (8 &- count))
        lanes = (lanes &* 10 &+ (lanes &>> 8)) & 0x00FF_00FF_00FF_00FF
        lanes = (lanes &* 100 &+ (lanes &>> 16)) & 0x0000_FFFF_0000_FFFF
        lanes = (lanes &* 10_000 &+ (lanes &>> 32)) & 0xFFFF_FFFF
        return Int64(lanes)
    }

    /// 10 to the power `count` (0...8), without branches: a switch here became a jump table
    /// whose indirect branch mispredicted on numbers of varying length.
    @inline(__always)
    static func powerOfTen(_ count: Int) -> Int64 {
        let ones: Int64 = count & 1 != 0 ? 10 : 1
        let twos: Int64 = count & 2 != 0 ? 100 : 1
        let fours: Int64 = count & 4 != 0 ? 10_000 : 1
        let eights: Int64 = count & 8 != 0 ? 100_000_000 : 1
        return (ones &* twos) &* (fours &* eights)
    }
}

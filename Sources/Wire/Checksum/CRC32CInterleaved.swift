#if arch(x86_64)
    import _Builtin_intrinsics.intel

    /// Three `crc32` streams over three adjacent lanes of a block, joined by zero-byte shifts.
    ///
    /// The `crc32` instruction has a latency of 3 cycles but issues one per cycle, so a single stream
    /// leaves two thirds of it idle; three independent streams keep it busy. Blocks of three long lanes
    /// cover most of a large buffer, blocks of three short lanes most of what is left, and one stream
    /// the final few hundred bytes.
    extension CRC32C {
        /// The lanes of the long and short blocks: a 1 MiB frame body is 42 long blocks and 21 short ones.
        static let longLane = CRC32CZeroShift(zeroBytes: 8192)
        static let shortLane = CRC32CZeroShift(zeroBytes: 256)

        /// Below one short block, the lane machinery only costs.
        static let interleavedBytesMin = 3 * 256

        /// Continues `crc` over `buffer` with three interleaved streams where the buffer is long enough.
        static func interleavedUpdate(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
            guard buffer.count >= interleavedBytesMin else { return hardwareUpdate(crc, buffer) }
            return interleavedUpdate(crc, buffer, long: longLane, short: shortLane)
        }

        /// The same over any two lane sizes (multiples of 8, long before short); tests use tiny ones.
        static func interleavedUpdate(
            _ crc: UInt32, _ buffer: UnsafeRawBufferPointer, long: CRC32CZeroShift, short: CRC32CZeroShift
        ) -> UInt32 {
            guard let base = buffer.baseAddress else { return crc }
            var register = ~crc
            var offset = 0
            blocks(&register, &offset, base, buffer.count, shift: long)
            blocks(&register, &offset, base, buffer.count, shift: short)
            return hardwareUpdate(~register, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
        }

        /// Runs as many whole blocks of `shift`'s lane size as fit between `offset` and `count`.
        @inline(__always)
        private static func blocks(
            _ register: inout UInt32, _ offset: inout Int, _ base: UnsafeRawPointer, _ count: Int,
            shift: CRC32CZeroShift
        ) {
            precondition(shift.zeroBytes > 0 && shift.zeroBytes % 8 == 0, "CRC lanes are whole words")
            let blockBytes = 3 * shift.zeroBytes
            let blocks = (count - offset) / blockBytes
            guard blocks > 0 else { return }
            let start = base + offset
            let before = register
            register = shift.tables.withUnsafeBufferPointer { table in
                threeLanes(before, start, blocks: blocks, shift: shift, table: table)
            }
            offset += blocks * blockBytes
        }

        /// Runs `blocks` consecutive blocks of three lanes from `start`; returns the raw register after them.
        @inline(__always)
        private static func threeLanes(
            _ register: UInt32, _ start: UnsafeRawPointer, blocks: Int, shift: CRC32CZeroShift,
            table: UnsafeBufferPointer<UInt32>
        ) -> UInt32 {
            let laneBytes = shift.zeroBytes
            var register = register
            var block = start
            for _ in 0..<blocks {
                var first = UInt64(register)
                var second: UInt64 = 0
                var third: UInt64 = 0
                var word = block
                let laneEnd = block + laneBytes
                while word < laneEnd {
                    first = _mm_crc32_u64(first, word.loadUnaligned(as: UInt64.self))
                    second = _mm_crc32_u64(second, word.loadUnaligned(fromByteOffset: laneBytes, as: UInt64.self))
                    third = _mm_crc32_u64(third, word.loadUnaligned(fromByteOffset: 2 * laneBytes, as: UInt64.self))
                    word += 8
                }
                // The second and third lanes started from zero; shift what came before over them.
                let joined = shift.apply(UInt32(truncatingIfNeeded: first), table) ^ UInt32(truncatingIfNeeded: second)
                register = shift.apply(joined, table) ^ UInt32(truncatingIfNeeded: third)
                block += 3 * laneBytes
            }
            return register
        }
    }
#endif

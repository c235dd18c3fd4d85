#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). Kafka record batches and Spate RPC
/// frames both carry it, so it bounds the broker's produce path and bulk RPC: on x86-64 it uses
/// the SSE4.2 `crc32` instruction in three interleaved streams (Package.swift builds Wire with
/// SSE4.2, the x86-64-v2 baseline), elsewhere slicing-by-8 tables.
public enum CRC32C {
    static let polynomial: UInt32 = 0x82F6_3B78

    /// Eight 256-entry tables: table k advances the CRC over a byte followed by k zero bytes.
    static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for slice in 1..<8 {
                crc = tables[Int(crc & 0xff)] ^ (crc >> 8)
                tables[slice * 256 + byte] = crc
            }
        }
        return tables
    }()

    /// The CRC-32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }

    /// The CRC-32C of `bytes[range]`.
    public static func checksum(_ bytes: [UInt8], range: Range<Int>) -> UInt32 {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "CRC range outside the bytes")
        return bytes.withUnsafeBytes { update(0, UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The CRC-32C of raw memory.
    public static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 { update(0, buffer) }

    /// Continues a CRC (as returned by a previous call) over more bytes.
    public static func update(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        #if arch(x86_64)
            interleavedUpdate(crc, buffer)
        #else
            softwareUpdate(crc, buffer)
        #endif
    }

    #if arch(x86_64)
        /// The `crc32` instruction in one stream, 8 bytes at a time, then byte by byte: short inputs,
        /// tails, and the reference the interleaved path is tested against.
        static func hardwareUpdate(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
            var wide = UInt64(~crc)
            var index = 0
            let count = buffer.count
            while count - index >= 8 {
                wide = _mm_crc32_u64(wide, buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                index += 8
            }
            var state = UInt32(truncatingIfNeeded: wide)
            while index < count {
                state = _mm_crc32_u8(state, buffer[index])
                index += 1
            }
            return ~state
        }
    #endif

    /// Slicing-by-8 over lookup tables: the portable path, and the reference the hardware path is tested against.
    static func softwareUpdate(_ crc: UInt32, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        tables.withUnsafeBufferPointer { table in
            var state = ~crc
            var index = 0
            let count = buffer.count
            while count - index >= 8 {
                let low = buffer.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian ^ state
                let high = buffer.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self).littleEndian
                state =
                    table[7 * 256 + Int(low & 0xff)] ^ table[6 * 256 + Int((low >> 8) & 0xff)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xff)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xff)] ^ table[2 * 256 + Int((high >> 8) & 0xff)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xff)] ^ table[Int(high >> 24)]
                index += 8
            }
            while index < count {
                state = table[Int((state ^ UInt32(buffer[index])) & 0xff)] ^ (state >> 8)
                index += 1
            }
            return ~state
        }
    }
}

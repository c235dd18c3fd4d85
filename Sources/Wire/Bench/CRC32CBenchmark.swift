import Foundation

/// The CRC-32C throughput part of `spate bench rpc`: the bound on checksummed bulk RPC and on the
/// broker's produce path, with the single-stream path beside it as the reference.
enum CRC32CBenchmark {
    /// MB/s (10^6 bytes) of `CRC32C.update` and of the single-stream path over 1 MiB buffers.
    static func run(seconds: Double) async -> (update: Double, singleStream: Double) {
        // Pure CPU work for the whole measurement: a thread of its own, not one of Swift's shared pool.
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let body = (0..<RPCBenchmark.bulkFrameBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
                let update = measure(body, seconds: seconds) { CRC32C.update($0, $1) }
                #if arch(x86_64)
                    let single = measure(body, seconds: seconds) { CRC32C.hardwareUpdate($0, $1) }
                #else
                    let single = measure(body, seconds: seconds) { CRC32C.softwareUpdate($0, $1) }
                #endif
                continuation.resume(returning: (update, single))
            }
            thread.name = "spate-bench-crc"
            thread.start()
        }
    }

    /// Chains `step` over `body` repeatedly for `seconds`; returns MB/s.
    private static func measure(
        _ body: [UInt8], seconds: Double, _ step: (UInt32, UnsafeRawBufferPointer) -> UInt32
    ) -> Double {
        let start = MonotonicClock.nanoseconds()
        let end = start + UInt64(seconds * 1e9)
        var crc: UInt32 = 0
        var passes = 0
        body.withUnsafeBytes { buffer in
            // Each pass continues the last one's CRC, so no pass can be skipped or reordered.
            while MonotonicClock.nanoseconds() < end {
                crc = step(crc, buffer)
                passes += 1
            }
        }
        keep(crc)
        let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return Double(passes * body.count) / elapsed / 1e6
    }

    /// An opaque use of the final CRC, so the optimizer cannot drop the work that produced it.
    @inline(never) @_optimize(none)
    private static func keep(_ crc: UInt32) {}
}

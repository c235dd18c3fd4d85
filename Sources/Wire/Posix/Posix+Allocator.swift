#if canImport(Glibc)
    import Glibc
#endif

extension Posix {
    /// Keeps large allocations (1 MiB frame bodies, record batches) in the malloc heap instead of a
    /// fresh mmap each time: every fresh mapping costs a page fault and a kernel memset per 4 KiB,
    /// which measured as a third of bulk RPC time. Process-wide; the `spate` binary calls it at start.
    public static func keepLargeAllocationsInHeap() {
        // mallopt is not in the Glibc module map (malloc.h), so look it up at run time.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 256 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
    }
}

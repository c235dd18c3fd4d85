#if canImport(Glibc)
    import Glibc
#endif

extension Posix {
    /// Keeps large allocations (1 MiB frame bodies, record batches) in the malloc heap instead of a
    /// fresh mmap each time: every fresh mapping costs a page fault and a kernel memset per 4 KiB,
    /// which measured as a third of bulk RPC time.
    ///
    /// `oneArena` is for processes that run tasks: a thread's own arena is a mapped heap of at most
    /// 64 MiB that glibc unmaps as soon as it is empty, so a 25 MiB fetch buffer freed there faulted
    /// in afresh every batch (a pv_uv run: 400k page faults, 116k with one arena; small allocations
    /// stay thread-local in glibc's tcache). Servers with many busy connection threads (the broker,
    /// the driver, `bench rpc`) keep an arena per thread: with one, 64 calls in flight on Spate RPC
    /// ran at 88–111k round trips/s against 105–129k. Process-wide, and must run before threads
    /// allocate; the `spate` binary calls it first thing.
    public static func keepLargeAllocationsInHeap(oneArena: Bool = false) {
        // mallopt is not in the Glibc module map (malloc.h), so look it up at run time.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = mallopt(mmapThreshold, 256 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        if oneArena { _ = mallopt(arenaMax, 1) }
    }

    /// Asks for transparent huge pages under the whole 4 KiB pages of `memory`, before they are
    /// first touched: a large buffer written end to end then takes one fault and one TLB entry per
    /// 2 MiB instead of per 4 KiB. Only advice: a kernel without them leaves the memory as it is.
    public static func adviseHugePages(_ memory: UnsafeMutableRawBufferPointer) {
        guard let base = memory.baseAddress else { return }
        let page = 4096
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + memory.count) & ~(page - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
    }
}

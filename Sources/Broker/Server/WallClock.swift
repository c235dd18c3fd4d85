#if canImport(Glibc)
    import Glibc
#endif

/// Milliseconds since the Unix epoch, the clock of record timestamps, retention and commit times.
enum WallClock {
    static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time for deadlines and durations; never jumps with the wall clock.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    public static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Milliseconds since an arbitrary fixed point.
    public static func milliseconds() -> UInt64 { nanoseconds() / 1_000_000 }
}

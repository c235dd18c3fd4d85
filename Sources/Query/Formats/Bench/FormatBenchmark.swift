import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Throughput of the record formats, for `spate bench query`.
public enum FormatBenchmark {
    /// One measurement.
    public struct Result: Sendable {
        /// Events processed per pass.
        public var events: Int
        /// Their bytes.
        public var bytes: Int
        /// The best pass's wall time.
        public var seconds: Double
        /// The best pass's CPU time on the measuring thread (what one core does, even on a busy machine).
        public var cpuSeconds: Double

        /// Throughput in MB/s (10^6 bytes).
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }
        /// Throughput in events/s.
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
        /// Throughput per CPU second, in MB/s.
        public var megabytesPerCPUSecond: Double { cpuSeconds > 0 ? Double(bytes) / cpuSeconds / 1e6 : 0 }
        /// Throughput per CPU second, in events/s.
        public var eventsPerCPUSecond: Double { cpuSeconds > 0 ? Double(events) / cpuSeconds : 0 }
    }

    /// The columns the pv_uv job decodes: ts, ip, user_id, status.
    public static let pvUVDecodedColumns = [0, 1, 2, 6]

    /// Decodes `events` generated clicks (about 200 bytes each, default malformed share) into the
    /// pv_uv job's 4 of 8 columns with full validation, in batches of `recordsPerBatch` as the map
    /// stage receives them; the best of `passes` passes on the calling thread.
    public static func jsonDecode(events: Int, seed: UInt64, recordsPerBatch: Int = 5_000, passes: Int = 3)
        -> Result
    {
        // As in the spate binary: batch-sized arrays reuse heap memory instead of fresh mappings.
        Posix.keepLargeAllocationsInHeap()
        var generator = ClickGenerator(seed: seed)
        var batches: [SourceRecords] = []
        var remaining = events
        var bytes = 0
        while remaining > 0 {
            let count = min(recordsPerBatch, remaining)
            let (records, _) = generator.records(count: count, firstOffset: Int64(events - remaining))
            batches.append(records)
            bytes += records.valueLengths.reduce(0) { $0 + Int($1) }
            remaining -= count
        }
        let decoder = RecordDecoder(source: ClickGenerator.sourceSpec(), decodedColumns: pvUVDecodedColumns)
        var rows = 0
        let (wall, cpu) = bestOf(passes) {
            rows = 0
            for batch in batches { rows += decoder.decode(batch).batch.rowCount }
        }
        precondition(rows > 0 || events == 0, "the benchmark decoded nothing")
        return Result(events: events, bytes: bytes, seconds: wall, cpuSeconds: cpu)
    }

    /// Generates `events` clicks into one buffer with their ground truth; the best of `passes`.
    public static func generate(events: Int, seed: UInt64, passes: Int = 3) -> Result {
        Posix.keepLargeAllocationsInHeap()
        var bytes = 0
        var buffer: [UInt8] = []
        buffer.reserveCapacity(events * 220)
        let (wall, cpu) = bestOf(passes) {
            var generator = ClickGenerator(seed: seed)
            buffer.removeAll(keepingCapacity: true)
            var malformed = 0
            for _ in 0..<events where generator.append(to: &buffer).defect != nil { malformed += 1 }
            bytes = buffer.count
            precondition(malformed <= events)
        }
        return Result(events: events, bytes: bytes, seconds: wall, cpuSeconds: cpu)
    }

    /// The shortest wall time and the shortest thread CPU time of `passes` runs of `body`.
    static func bestOf(_ passes: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        var wall = Double.infinity
        var cpu = Double.infinity
        for _ in 0..<max(1, passes) {
            let wallStart = MonotonicClock.nanoseconds()
            let cpuStart = threadCPUNanoseconds()
            body()
            cpu = min(cpu, Double(threadCPUNanoseconds() - cpuStart) / 1e9)
            wall = min(wall, Double(MonotonicClock.nanoseconds() - wallStart) / 1e9)
        }
        return (wall, cpu)
    }

    /// CPU time the calling thread has used.
    static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}

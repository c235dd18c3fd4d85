import Foundation
import Synchronization

/// `spate bench rpc`: Spate RPC against raw sockets on loopback, in one process.
public enum RPCBenchmark {
    /// Every figure one run measures.
    public struct Report: Sendable {
        /// Round trips per second with one call in flight.
        public var roundTripsPerSecond1: Double
        /// Round trips per second with 64 calls in flight on one connection.
        public var roundTripsPerSecond64: Double
        /// Median and 99th-percentile round-trip latency with one call in flight, in microseconds.
        public var latencyP50Us: Double
        /// 99th-percentile round-trip latency with one call in flight, in microseconds.
        public var latencyP99Us: Double
        /// Bulk RPC throughput with 1 MiB request bodies, each CRC32C-checked, in MB/s (10^6 bytes).
        public var bulkRPCMBps: Double
        /// The same with the body checksum omitted per frame (payloads that carry their own checksum).
        public var bulkRPCUncheckedMBps: Double
        /// The same transfer over a raw socket with no framing, in MB/s.
        public var rawMBps: Double
        /// CRC32C over a 1 MiB buffer in memory, in MB/s: the checksum's own bound on bulk RPC.
        public var crc32cMBps: Double
        /// The same with the single-stream path, the reference the faster path is measured against.
        public var crc32cSingleStreamMBps: Double

        /// Bulk RPC as a percentage of raw.
        public var bulkPercentOfRaw: Double { rawMBps > 0 ? 100 * bulkRPCMBps / rawMBps : 0 }
        /// Bulk RPC without body checksums as a percentage of raw.
        public var bulkUncheckedPercentOfRaw: Double { rawMBps > 0 ? 100 * bulkRPCUncheckedMBps / rawMBps : 0 }

        /// One JSON object with every figure.
        public var json: String {
            func number(_ value: Double) -> String { String(format: "%.1f", value) }
            return "{\"round_trips_per_s_1_in_flight\":\(number(roundTripsPerSecond1)),"
                + "\"round_trips_per_s_64_in_flight\":\(number(roundTripsPerSecond64)),"
                + "\"latency_p50_us\":\(number(latencyP50Us)),\"latency_p99_us\":\(number(latencyP99Us)),"
                + "\"bulk_rpc_mb_per_s\":\(number(bulkRPCMBps)),"
                + "\"bulk_rpc_unchecked_mb_per_s\":\(number(bulkRPCUncheckedMBps)),"
                + "\"raw_socket_mb_per_s\":\(number(rawMBps)),"
                + "\"bulk_percent_of_raw\":\(number(bulkPercentOfRaw)),"
                + "\"bulk_unchecked_percent_of_raw\":\(number(bulkUncheckedPercentOfRaw)),"
                + "\"crc32c_mb_per_s\":\(number(crc32cMBps)),"
                + "\"crc32c_single_stream_mb_per_s\":\(number(crc32cSingleStreamMBps)),"
                + "\"bulk_frame_bytes\":\(bulkFrameBytes)}"
        }

        /// A human-readable table.
        public var text: String {
            func number(_ value: Double) -> String { String(format: "%12.0f", value) }
            return """
                round trips/s, 1 in flight     \(number(roundTripsPerSecond1))
                round trips/s, 64 in flight    \(number(roundTripsPerSecond64))
                latency p50 / p99 (us)         \(String(format: "%12.1f / %.1f", latencyP50Us, latencyP99Us))
                bulk RPC, 1 MiB frames (MB/s)  \(number(bulkRPCMBps))   body CRC32C checked
                  same, checksum omitted       \(number(bulkRPCUncheckedMBps))
                raw socket, same bytes (MB/s)  \(number(rawMBps))
                bulk RPC / raw                 \(String(format: "%11.1f%%", bulkPercentOfRaw))
                  checksum omitted / raw       \(String(format: "%11.1f%%", bulkUncheckedPercentOfRaw))
                CRC32C, 1 MiB in memory (MB/s) \(number(crc32cMBps))
                  single stream (MB/s)         \(number(crc32cSingleStreamMBps))
                """
        }
    }

    static let bulkFrameBytes = 1 << 20
    static let echo: UInt16 = 1
    static let sink: UInt16 = 2

    /// Runs every measurement for `seconds` each.
    public static func run(seconds: Double) async throws -> Report {
        Posix.keepLargeAllocationsInHeap()
        let server = RPCServer()
        server.handlers.register(echo) { _, body in body }
        server.handlers.register(sink) { _, _ in [] }
        let address = try server.start(on: SocketAddress(parsing: "127.0.0.1:0"))
        let client = try await RPCClient.connect(to: address)
        defer {
            Task {
                await client.close(); await server.stop()
            }
        }
        let small = [UInt8](repeating: 7, count: 32)
        _ = try await roundTrips(client, body: small, inFlight: 1, seconds: 0.2)
        let (rate1, latencies) = try await roundTrips(client, body: small, inFlight: 1, seconds: seconds)
        let (rate64, _) = try await roundTrips(client, body: small, inFlight: 64, seconds: seconds)
        let bulk = try await bulkCalls(client, seconds: seconds, checksum: true)
        let bulkUnchecked = try await bulkCalls(client, seconds: seconds, checksum: false)
        let raw = try await rawThroughput(seconds: seconds)
        let crc = await CRC32CBenchmark.run(seconds: min(seconds, 1))
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        return Report(
            roundTripsPerSecond1: rate1, roundTripsPerSecond64: rate64, latencyP50Us: percentile(0.5),
            latencyP99Us: percentile(0.99), bulkRPCMBps: bulk, bulkRPCUncheckedMBps: bulkUnchecked,
            rawMBps: raw, crc32cMBps: crc.update, crc32cSingleStreamMBps: crc.singleStream)
    }

    /// Calls `echo` from `inFlight` concurrent loops; returns calls/s and (for 1 in flight) latencies in µs.
    static func roundTrips(_ client: RPCConnection, body: [UInt8], inFlight: Int, seconds: Double) async throws
        -> (Double, [Double])
    {
        let start = MonotonicClock.nanoseconds()
        let end = start + UInt64(seconds * 1e9)
        let results = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    var count = 0
                    var latencies: [Double] = []
                    while MonotonicClock.nanoseconds() < end {
                        let before = MonotonicClock.nanoseconds()
                        _ = try await client.call(echo, body)
                        if inFlight == 1 { latencies.append(Double(MonotonicClock.nanoseconds() - before) / 1000) }
                        count += 1
                    }
                    return (count, latencies)
                }
            }
            var total = 0
            var all: [Double] = []
            for try await (count, latencies) in group {
                total += count
                all += latencies
            }
            return (total, all)
        }
        let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return (Double(results.0) / elapsed, results.1)
    }

    /// 1 MiB request bodies with empty responses, 4 in flight; returns MB/s of request bytes.
    static func bulkCalls(_ client: RPCConnection, seconds: Double, checksum: Bool) async throws -> Double {
        let body = (0..<bulkFrameBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let start = MonotonicClock.nanoseconds()
        let end = start + UInt64(seconds * 1e9)
        let calls = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var count = 0
                    while MonotonicClock.nanoseconds() < end {
                        _ = try await client.call(sink, body, checksumBody: checksum)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return Double(calls * bulkFrameBytes) / elapsed / 1e6
    }

    /// The raw-socket baseline in MB/s. It blocks in system calls for the whole measurement, so it
    /// runs on threads of its own rather than holding a thread of Swift's shared pool that long.
    static func rawThroughput(seconds: Double) async throws -> Double {
        try await withCheckedThrowingContinuation { continuation in
            let sender = Thread { continuation.resume(with: Result { try rawThroughputBlocking(seconds: seconds) }) }
            sender.name = "spate-bench-raw"
            sender.start()
        }
    }

    /// One thread (the caller) writes 1 MiB chunks for `seconds`, another reads them; returns MB/s received.
    static func rawThroughputBlocking(seconds: Double) throws -> Double {
        let listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        let address = try listener.localAddress()
        let received = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let reader = Thread {
            guard let (socket, _) = try? listener.accept() else { return }
            var buffer = [UInt8](repeating: 0, count: bulkFrameBytes)
            while true {
                let result = buffer.withUnsafeMutableBytes { try? socket.read(into: $0) }
                guard case .processed(let count) = result, count > 0 else { break }
                received.add(count, ordering: .relaxed)
            }
            done.store(true, ordering: .releasing)
        }
        reader.start()
        let sender = try Socket.connect(to: address)
        let chunk = (0..<bulkFrameBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let start = MonotonicClock.nanoseconds()
        let end = start + UInt64(seconds * 1e9)
        while MonotonicClock.nanoseconds() < end { try sender.writeAll(chunk) }
        sender.shutdownWrite()
        while !done.load(ordering: .acquiring) { usleep(1_000) }
        let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
        return Double(received.load(ordering: .relaxed)) / elapsed / 1e6
    }
}

import Foundation
import Testing

@testable import Query

/// JSON decode throughput at the map stage's small and large batch sizes, printed rather than
/// asserted (timing targets belong in benchmarks). Off unless `SPATE_BENCH_DECODE` is set; run
/// `SPATE_BENCH_DECODE=1 swift test -c release -Xswiftc -enable-testing --filter DecodeSpeed`.
@Suite struct FormatDecodeSpeedTests {
    static let enabled = ProcessInfo.processInfo.environment["SPATE_BENCH_DECODE"] != nil

    @Test(.enabled(if: enabled), arguments: [5_000, 125_000])
    func decodeSpeed(recordsPerBatch: Int) {
        let result = FormatBenchmark.jsonDecode(events: 500_000, seed: 1, recordsPerBatch: recordsPerBatch, passes: 5)
        print(
            "decode \(recordsPerBatch) records/batch: \(Int(result.megabytesPerCPUSecond)) MB per CPU-second, "
                + "\(Int(result.eventsPerCPUSecond)) events per CPU-second")
        #expect(result.events == 500_000)
    }
}

import Foundation
import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh directory under /tmp for one test, removed afterwards even when the body throws.
func withLogDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = "/tmp/spate-logtest-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Path of a segment's file in a test directory.
func segmentPath(_ directory: String, _ baseOffset: Int64, _ suffix: String = ".log") -> String {
    SegmentName.path(directory, baseOffset, suffix)
}

/// Size of a file in bytes.
func fileBytes(_ path: String) throws -> Int64 {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.size] as? NSNumber)?.int64Value ?? -1
}

/// Cuts a file to `length` bytes.
func truncateFile(_ path: String, to length: Int64) throws {
    let fd = try Posix.open(path, O_RDWR)
    defer { try? Posix.close(fd) }
    try Posix.ftruncate(fd, length)
}

/// Writes `bytes` into a file at `position` (past the end extends it).
func writeFile(_ path: String, _ bytes: [UInt8], at position: Int64) throws {
    let fd = try Posix.open(path, O_RDWR)
    defer { try? Posix.close(fd) }
    try bytes.withUnsafeBytes { raw in try Posix.pwriteAll(fd, raw, position) }
}

/// What the tests expect of a log: each appended batch's offsets and bytes as the producer sent them.
struct LogModel {
    struct Batch {
        var baseOffset: Int64
        var lastOffset: Int64
        var bytes: [UInt8]
        var maxTimestampMs: Int64
    }

    var batches: [Batch] = []
    var endOffset: Int64 { batches.last.map { $0.lastOffset + 1 } ?? 0 }

    /// Appends `bytes` to `log` and records what the log should now hold.
    mutating func append(_ bytes: [UInt8], to log: PartitionLog) throws {
        let result = try log.append(bytes)
        #expect(result.baseOffset == endOffset)
        var offset = result.baseOffset
        for range in try RecordBatchSplitter.split(bytes) {
            var stored = Array(bytes[range.range])
            RecordBatchHeader.setBaseOffset(offset, in: &stored, batchStart: 0)
            let last = offset + Int64(range.header.lastOffsetDelta)
            batches.append(
                Batch(baseOffset: offset, lastOffset: last, bytes: stored, maxTimestampMs: range.header.maxTimestamp))
            offset = last + 1
        }
        #expect(result.lastOffset == offset - 1)
    }

    /// Index of the batch holding `offset`.
    func batchIndex(containing offset: Int64) -> Int? {
        batches.firstIndex { $0.baseOffset <= offset && offset <= $0.lastOffset }
    }
}

/// A small uncompressed batch: `count` records of `valueBytes` each, timestamps from `timestampMs`.
func smallBatch(count: Int = 3, valueBytes: Int = 10, timestampMs: Int64 = 1_000) -> [UInt8] {
    makeBatch(count: count, firstTimestampMs: timestampMs, valueBytes: valueBytes)
}

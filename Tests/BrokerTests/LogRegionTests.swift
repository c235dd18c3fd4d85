import Dispatch
import Foundation
import Synchronization
import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#endif

/// `PartitionLog.readRegion` and `ResponseWriter` sending regions: the bytes a fetch sends with
/// sendfile are whole batches, the ones the model expects, and they survive retention mid-send.
@Suite(.dedicatedThread) struct LogRegionTests {
    /// Batches of very different sizes, so limits fall inside, between and across them.
    static func mixedBatches() -> [[UInt8]] {
        (0..<40).map { number in
            let count = [1, 2, 5, 40, 3, 90][number % 6]
            return makeBatch(
                count: count, firstTimestampMs: 1_700_000_000_000 + Int64(number), valueBytes: 20 + (number * 37) % 200)
        }
    }

    /// What a fetch from `offset` with `maxBytes` must return, from the model alone: the batch
    /// holding `offset`, then each following batch while the total stays within `maxBytes`.
    static func expectedBatches(_ model: LogModel, from offset: Int64, maxBytes: Int) -> [LogModel.Batch] {
        guard let first = model.batchIndex(containing: offset) else { return [] }
        var kept = [model.batches[first]]
        var total = model.batches[first].bytes.count
        for batch in model.batches[(first + 1)...] {
            guard total + batch.bytes.count <= maxBytes else { break }
            kept.append(batch)
            total += batch.bytes.count
        }
        return kept
    }

    /// Offsets at the start, middle and end of every batch, many limits, and index densities from every batch to a few per segment: the
    /// region holds exactly the expected whole batches, and the record count is theirs.
    @Test func regionsHoldTheExpectedWholeBatchesAndTheirRecordCount() throws {
        for intervalBytes in [1, 500, 4096, 1 << 20] {
            try withLogDirectory { directory in
                let log = try PartitionLog(directory: directory, config: LogConfig(indexIntervalBytes: intervalBytes))
                var model = LogModel()
                for batch in Self.mixedBatches() { try model.append(batch, to: log) }
                let totalBytes = model.batches.reduce(0) { $0 + $1.bytes.count }
                let limits = [0, 1, 100, 4096, 5000, 12_345, 30_000, totalBytes - 1, totalBytes, Int.max]
                // Each batch's first, middle and last offset.
                let offsets = model.batches.flatMap {
                    [$0.baseOffset, ($0.baseOffset + $0.lastOffset) / 2, $0.lastOffset]
                }
                for offset in offsets {
                    for maxBytes in limits {
                        let expected = Self.expectedBatches(model, from: offset, maxBytes: maxBytes)
                        let found = try log.readRegion(from: offset, maxBytes: maxBytes)
                        let region = try #require(found.region)
                        let label = "offset \(offset), maxBytes \(maxBytes), interval \(intervalBytes)"
                        #expect(try region.bytes() == expected.flatMap(\.bytes), "\(label)")
                        let records = try expected.reduce(0) {
                            $0 + Int64(try RecordBatchHeader.parse($1.bytes).recordCount)
                        }
                        #expect(found.recordCount == records, "\(label)")
                        #expect(found.highWatermark == model.endOffset && found.logStartOffset == 0)
                    }
                }
                let atEnd = try log.readRegion(from: model.endOffset, maxBytes: 1 << 20)
                #expect(atEnd.region == nil && atEnd.recordCount == 0)
            }
        }
    }

    /// A region never reaches into the next segment, just as `read` never did.
    @Test func regionsStopAtTheEndOfTheirSegment() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory, config: LogConfig(segmentBytes: 20_000))
            var model = LogModel()
            for batch in Self.mixedBatches() { try model.append(batch, to: log) }
            let bases = log.segmentBaseOffsets
            #expect(bases.count > 2)
            for (index, base) in bases.enumerated() {
                let next = index + 1 < bases.count ? bases[index + 1] : model.endOffset
                let found = try log.readRegion(from: base, maxBytes: Int.max)
                let expected = model.batches.filter { $0.baseOffset >= base && $0.baseOffset < next }
                #expect(try found.region?.bytes() == expected.flatMap(\.bytes), "segment \(base)")
            }
        }
    }

    /// A sealed segment's index entry that points inside a batch (the files are trusted when their
    /// tail agrees) costs the jump, not the answer: the region is still the expected whole batches.
    @Test func anIndexEntryThatMissesItsBatchFallsBackToWalkingHeaders() throws {
        try withLogDirectory { directory in
            let config = LogConfig(segmentBytes: 20_000, indexIntervalBytes: 1)
            var model = LogModel()
            do {
                let log = try PartitionLog(directory: directory, config: config)
                for batch in Self.mixedBatches() { try model.append(batch, to: log) }
                try log.close()
            }
            let target = model.batches[3]
            let targetPosition = model.batches[0..<3].reduce(0) { $0 + $1.bytes.count }
            let indexPath = segmentPath(directory, 0, SegmentName.indexSuffix)
            var index = try Posix.readFile(indexPath)
            var patched = false
            for at in stride(from: SegmentIndex.headerBytes, to: index.count, by: 8) {
                let relative = index[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                guard relative == UInt32(target.baseOffset) else { continue }
                index[at + 7] &+= 7
                patched = true
            }
            #expect(patched, "batch 3 has an index entry")
            try Posix.writeFileAtomically(indexPath, index)
            let log = try PartitionLog(directory: directory, config: config)
            #expect(log.recovery.rebuiltIndexes == 0, "the damaged entry is not the last, so the files are kept")
            let maxBytes = targetPosition + 7
            let found = try log.readRegion(from: 0, maxBytes: maxBytes)
            let expected = Self.expectedBatches(model, from: 0, maxBytes: maxBytes)
            #expect(expected.count == 3)
            #expect(try found.region?.bytes() == expected.flatMap(\.bytes))
            #expect(found.recordCount == expected.reduce(0) { $0 + $1.lastOffset - $1.baseOffset + 1 })
        }
    }

    /// Retention unlinks a segment (and the log closes) while its region is halfway out: the reader
    /// still gets every byte, because the chunk being sent holds the file open.
    @Test func aSegmentRemovedWhileItsRegionIsSentStillSendsItsBytes() throws {
        try withLogDirectory { directory in
            let config = LogConfig(segmentBytes: 1 << 20, retentionMs: nil, retentionBytes: 1)
            let log = try PartitionLog(directory: directory, config: config)
            var model = LogModel()
            for number in 0..<14 {
                try model.append(makeBatch(count: 100, firstTimestampMs: Int64(number), valueBytes: 1000), to: log)
            }
            #expect(log.segmentBaseOffsets.count == 2)
            let firstSegment = model.batches.filter { $0.baseOffset < log.segmentBaseOffsets[1] }.flatMap(\.bytes)
            let pair = try SocketPair(sendBufferBytes: 16 << 10)
            let prefix: [UInt8] = [1, 2, 3, 4, 5]
            let writer = try BackgroundWrite(to: pair.sender, stallTimeoutMs: 60_000) {
                // Built in here so the only reference to the region is the chunk being sent.
                guard let region = try log.readRegion(from: 0, maxBytes: Int.max).region else {
                    throw ServerTestFailure("the log found no batch at offset 0")
                }
                return [.bytes(prefix), .region(region)]
            }
            var received = try pair.receive(count: 64 << 10)
            #expect(try log.enforceRetention(nowMs: 0).removedSegments == [0])
            #expect(!Posix.exists(segmentPath(directory, 0)))
            try log.close()
            let total = prefix.count + firstSegment.count
            #expect(received.count < total, "the region was still being sent when its file went")
            received += try pair.receive(count: total - received.count)
            #expect(received == prefix + firstSegment)
            #expect(try writer.result() == nil)
        }
    }

    /// A peer that stops reading in the middle of a region frees the writer after the stall timeout.
    @Test func aPeerThatStopsReadingTripsTheStallTimeout() throws {
        try withLogDirectory { directory in
            let log = try PartitionLog(directory: directory)
            for number in 0..<10 {
                _ = try log.append(makeBatch(count: 100, firstTimestampMs: Int64(number), valueBytes: 1000))
            }
            let region = try #require(try log.readRegion(from: 0, maxBytes: Int.max).region)
            let pair = try SocketPair(sendBufferBytes: 16 << 10)
            do throws(PosixError) {
                try ResponseWriter.write(
                    [.bytes([0, 0, 0, 1]), .region(region)], to: pair.sender, stallTimeoutMs: 200)
                Issue.record("a 1 MB region fit in the socket buffers of a peer that reads nothing")
            } catch {
                #expect(error.errno == ETIMEDOUT && error.call == "sendfile")
            }
        }
    }
}

/// A connected loopback TCP pair: the sender as a broker connection has it, the receiver blocking
/// with a 30 s receive timeout.
struct SocketPair {
    let sender: Socket
    let receiver: Socket

    /// A pair whose sender buffers at most about `sendBufferBytes` (0 keeps the kernel's autotuning).
    init(sendBufferBytes: Int32 = 0) throws {
        let listener = try Socket.listen(on: SocketAddress(parsing: "127.0.0.1:0"))
        receiver = try Socket.connect(to: listener.localAddress())
        (sender, _) = try listener.accept()
        if sendBufferBytes > 0 {
            sender.setBufferSizes(bytes: sendBufferBytes)
            receiver.setBufferSizes(bytes: sendBufferBytes)
        }
        try receiver.setReceiveTimeout(ms: 30_000)
    }

    /// Exactly `count` bytes from the receiver; throws when they do not come within 30 s each read.
    func receive(count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < count {
            let want = min(scratch.count, count - bytes.count)
            let result = try scratch.withUnsafeMutableBytes { raw in
                try receiver.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
            }
            guard case .processed(let got) = result, got > 0 else {
                throw ServerTestFailure("the sender stopped after \(bytes.count) of \(count) bytes")
            }
            bytes += scratch[0..<got]
        }
        return bytes
    }
}

/// `ResponseWriter.write` on a thread of its own, for tests that read the other end meanwhile.
final class BackgroundWrite: Sendable {
    private let outcome = Mutex<PosixError?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts writing the chunks `make` builds (on the writer thread, so nothing else holds them).
    init(to socket: Socket, stallTimeoutMs: Int, _ make: @escaping @Sendable () throws -> [ResponseChunk]) throws {
        let thread = Thread { [self] in
            var failure: PosixError?
            do {
                try ResponseWriter.write(try make(), to: socket, stallTimeoutMs: stallTimeoutMs)
            } catch let error as PosixError {
                failure = error
            } catch {
                failure = PosixError(call: "make", errno: EINVAL, context: "\(error)")
            }
            outcome.withLock { $0 = failure }
            done.signal()
        }
        thread.start()
    }

    /// The write's error, nil when it succeeded; throws if it has not finished within 60 s.
    func result() throws -> PosixError? {
        guard done.wait(timeout: .now() + 60) == .success else { throw ServerTestFailure("the write never finished") }
        return outcome.withLock { $0 }
    }
}

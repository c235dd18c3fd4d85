import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable offset log: reopen, torn tails, replay order, compaction, foreign files.
@Suite(.dedicatedThread) struct GroupOffsetStoreTests {
    @Test func offsetsSurviveReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try OffsetStore(dataDirectory: directory.path)
        #expect(store.offsets.isEmpty && store.path == directory.path + "/__consumer_offsets/commits.log")
        try store.append(batch("orders", [("t", 0, 10, 1), ("t", 1, 11, 1)]))
        try store.append(batch("audit", [("logs", 3, 7, 2)], metadata: "näive ✓"))
        try store.append(batch("orders", [("t", 0, 12, 3)]))
        let expected = store.offsets
        store.close()
        #expect(throws: OffsetStoreError.closed(path: store.path)) { try store.append(batch("x", [("t", 0, 1, 4)])) }

        let reopened = try OffsetStore(dataDirectory: directory.path)
        #expect(reopened.offsets == expected && reopened.recoveredBytesCut == 0)
        #expect(reopened.offsets["orders"]?[TopicPartition(topic: "t", partition: 0)]?.offset == 12)
        #expect(reopened.offsets["audit"]?[TopicPartition(topic: "logs", partition: 3)]?.metadata == "näive ✓")
        let coordinator = GroupCoordinator(committedOffsets: reopened.offsets)
        let fetched = coordinator.fetchOffsets(OffsetFetchRequest(groupId: "orders", topics: nil))
        #expect(fetched.topics.first?.partitions.map(\.committedOffset) == [12, 11])
    }

    /// Whatever happens to the last entry (cut short, garbage after it, a flipped bit), reopening
    /// keeps exactly the entries before it and the store keeps working.
    @Test(arguments: TornTail.allCases)
    func tornTailIsCut(_ damage: TornTail) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try OffsetStore(dataDirectory: directory.path)
        try store.append(batch("g", [("t", 0, 1, 1)]))
        try store.append(batch("g", [("t", 1, 2, 2)]))
        let (intactBytes, intact) = (store.fileBytes, store.offsets)
        try store.append(batch("g", [("t", 0, 3, 3), ("u", 0, 4, 3)]))
        store.close()
        let bytes = try Posix.readFile(store.path)
        try Posix.writeFileAtomically(store.path, damage.apply(to: bytes, entryStart: Int(intactBytes)))

        let reopened = try OffsetStore(dataDirectory: directory.path)
        #expect(reopened.offsets == intact, "\(damage)")
        let sizeOnDisk = Int64(try Posix.readFile(store.path).count)
        #expect(reopened.fileBytes == intactBytes && sizeOnDisk == intactBytes)
        #expect(
            reopened.recoveredBytesCut == Int64(damage.apply(to: bytes, entryStart: Int(intactBytes)).count)
                - intactBytes)
        try reopened.append(batch("g", [("t", 0, 5, 4)]))
        reopened.close()
        let again = try OffsetStore(dataDirectory: directory.path)
        #expect(again.recoveredBytesCut == 0)
        #expect(again.offsets["g"]?[TopicPartition(topic: "t", partition: 0)]?.offset == 5)
    }

    /// Replay keeps the higher sequence even when it was written first.
    @Test func higherSequenceWinsOnReplay() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try OffsetStore(dataDirectory: directory.path)
        try store.append(batch("g", [("t", 0, 50, 5)]))
        try store.append(batch("g", [("t", 0, 30, 3)]))
        #expect(store.offsets["g"]?[TopicPartition(topic: "t", partition: 0)]?.offset == 50)
        store.close()
        let reopened = try OffsetStore(dataDirectory: directory.path)
        #expect(reopened.offsets["g"]?[TopicPartition(topic: "t", partition: 0)]?.offset == 50)
        #expect(GroupCoordinator(committedOffsets: reopened.offsets).committedOffsets == reopened.offsets)
    }

    /// Many commits to a few partitions: the file is rewritten with the latest values and stays small.
    @Test func compactionKeepsLatestValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try OffsetStore(dataDirectory: directory.path, options: .init(compactionBytesMin: 4096))
        var expected: [Int32: Int64] = [:]
        var rng = SplitMix64(seed: 7)
        for sequence in 1...200 {
            let partition = Int32(rng.next() % 4)
            let offset = Int64(rng.next() % 1_000_000)
            expected[partition] = offset
            try store.append(batch("g", [("topic", partition, offset, UInt64(sequence))]))
            #expect(store.fileBytes < 8192 + 200, "the log must not grow without bound")
        }
        #expect(store.lastCompactionError == nil)
        #expect(!Posix.exists(store.path + ".tmp"))
        store.close()
        let reopened = try OffsetStore(dataDirectory: directory.path, options: .init(compactionBytesMin: 4096))
        #expect(reopened.recoveredBytesCut == 0)
        #expect(
            reopened.offsets["g"]?.mapValues(\.offset)
                == Dictionary(
                    uniqueKeysWithValues: expected.map { (TopicPartition(topic: "topic", partition: $0), $1) }))
        try reopened.compact()
        #expect(reopened.fileBytes < 400)
    }

    /// A batch bigger than one entry's target is split, and every record comes back.
    @Test func largeBatchesSpanEntries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try OffsetStore(dataDirectory: directory.path)
        let metadata = String(repeating: "m", count: 4096)
        let records = (0..<600).map { ("t", Int32($0), Int64($0) * 3, UInt64(1)) }
        try store.append(batch("g", records, metadata: metadata))
        #expect(store.fileBytes > Int64(OffsetLogFormat.payloadBytesTarget))
        store.close()
        let reopened = try OffsetStore(dataDirectory: directory.path)
        #expect(reopened.offsets["g"]?.count == 600 && reopened.recoveredBytesCut == 0)
        #expect(reopened.offsets["g"]?[TopicPartition(topic: "t", partition: 599)]?.offset == 1797)
    }

    @Test func foreignFilesAreRefusedAndEmptyOnesStartFresh() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Posix.mkdirs(directory.path + "/__consumer_offsets")
        let path = directory.path + "/__consumer_offsets/commits.log"
        try Posix.writeFileAtomically(path, Array("HELLO, WORLD".utf8))
        #expect(throws: OffsetStoreError.self) { try OffsetStore(dataDirectory: directory.path) }
        try Posix.writeFileAtomically(path, OffsetLogFormat.header().prefix(3).map { $0 })
        #expect(throws: OffsetStoreError.self) { try OffsetStore(dataDirectory: directory.path) }
        try Posix.writeFileAtomically(path, [])
        let store = try OffsetStore(dataDirectory: directory.path)
        #expect(store.offsets.isEmpty && store.fileBytes == Int64(OffsetLogFormat.headerBytes))
    }

    private func batch(
        _ groupId: String, _ records: [(String, Int32, Int64, UInt64)], metadata: String = "meta"
    ) -> OffsetCommitBatch {
        OffsetCommitBatch(
            groupId: groupId,
            entries: records.map { topic, partition, offset, sequence in
                OffsetCommitBatch.Entry(
                    topicPartition: TopicPartition(topic: topic, partition: partition),
                    value: CommittedOffset(
                        offset: offset, leaderEpoch: 0, metadata: metadata, commitTimestampMs: 1_700_000_000_000,
                        sequence: sequence))
            })
    }
}

/// Ways the last entry of a log can be damaged by a crash or a bad disk.
enum TornTail: CaseIterable, Sendable {
    case cutInLengthField, cutInPayload, cutOneByteShort, garbageAfter, flippedPayloadBit, hugeLength

    func apply(to bytes: [UInt8], entryStart: Int) -> [UInt8] {
        switch self {
        case .cutInLengthField: return Array(bytes[..<(entryStart + 2)])
        case .cutInPayload: return Array(bytes[..<(entryStart + 20)])
        case .cutOneByteShort: return Array(bytes.dropLast())
        case .garbageAfter: return bytes[..<entryStart] + [0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 9, 1]
        case .flippedPayloadBit:
            var damaged = bytes
            damaged[entryStart + 12] ^= 0x10
            return damaged
        case .hugeLength:
            var damaged = bytes
            damaged[entryStart] = 0x7f
            return damaged
        }
    }
}

/// A fresh directory under /tmp, removed (one level of files deep per subdirectory) by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/spate-groups-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else { throw PosixError(call: "mkdtemp", errno: errno) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func remove() {
        removeTree(path)
    }

    private func removeTree(_ directory: String) {
        for name in (try? Posix.listDirectory(directory)) ?? [] {
            let child = directory + "/" + name
            if (try? Posix.listDirectory(child)) != nil {
                removeTree(child)
            } else {
                try? Posix.unlink(child)
            }
        }
        rmdir(directory)
    }
}

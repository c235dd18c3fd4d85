/// The sparse offset index and time index of one segment, held in memory. Both are caches of facts
/// in the `.log` file: they are written beside a segment when it is sealed and rebuilt whenever
/// they are missing, invalid or belong to the active segment.
struct SegmentIndex: Equatable {
    /// Start of a batch: offset relative to the segment base, and byte position in the `.log` file.
    struct OffsetEntry: Equatable {
        var relativeOffset: UInt32
        var position: UInt32
    }

    /// The largest timestamp of the segment up to and including the batch at `relativeOffset`.
    struct TimeEntry: Equatable {
        var timestampMs: Int64
        var relativeOffset: UInt32
    }

    private(set) var offsets: [OffsetEntry] = []
    private(set) var times: [TimeEntry] = []
    private var bytesSinceEntry = 0
    private var runningMaxMs = Int64.min
    private var lastRelativeOffset: UInt32?

    /// The newest timestamp in the segment, -1 when it holds no batch.
    var maxTimestampMs: Int64 { lastRelativeOffset == nil ? -1 : runningMaxMs }

    /// Accounts one appended batch, adding entries once `intervalBytes` passed since the last one.
    mutating func record(
        relativeOffset: UInt32, position: UInt32, batchBytes: Int, maxTimestampMs: Int64, intervalBytes: Int
    ) {
        runningMaxMs = max(runningMaxMs, maxTimestampMs)
        if bytesSinceEntry >= intervalBytes {
            offsets.append(OffsetEntry(relativeOffset: relativeOffset, position: position))
            bytesSinceEntry = 0
            if runningMaxMs > (times.last?.timestampMs ?? Int64.min) {
                times.append(TimeEntry(timestampMs: runningMaxMs, relativeOffset: relativeOffset))
            }
        }
        bytesSinceEntry += batchBytes
        lastRelativeOffset = relativeOffset
    }

    /// Adds the final time entry, so a sealed segment's newest timestamp can be read back from its file.
    mutating func seal() {
        guard let lastRelativeOffset, runningMaxMs > (times.last?.timestampMs ?? Int64.min) else { return }
        times.append(TimeEntry(timestampMs: runningMaxMs, relativeOffset: lastRelativeOffset))
    }

    /// Position of the last indexed batch starting at or before `relativeOffset` (0 when none).
    func position(atOrBefore relativeOffset: Int64) -> Int64 {
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(offsets[middle].relativeOffset) <= relativeOffset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : Int64(offsets[low - 1].position)
    }

    /// The last indexed batch starting at or before byte `position`, if any.
    func entry(atOrBeforePosition position: Int64) -> OffsetEntry? {
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if Int64(offsets[middle].position) <= position { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : offsets[low - 1]
    }

    /// Relative offset of the last batch known to hold only timestamps below `timestampMs`, if any.
    func relativeOffset(before timestampMs: Int64) -> UInt32? {
        var low = 0
        var high = times.count
        while low < high {
            let middle = (low + high) / 2
            if times[middle].timestampMs < timestampMs { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : times[low - 1].relativeOffset
    }
}

// MARK: files

extension SegmentIndex {
    /// Format tags and version at the start of each index file, checked on load.
    static let offsetMagic: [UInt8] = Array("SPXO".utf8)
    static let timeMagic: [UInt8] = Array("SPXT".utf8)
    static let formatVersion: UInt32 = 1
    static let headerBytes = 8

    /// The `.index` file: header, then (relativeOffset u32, position u32) big-endian per entry.
    func encodedOffsets() -> [UInt8] {
        var bytes = Self.offsetMagic + bigEndian(Self.formatVersion)
        bytes.reserveCapacity(Self.headerBytes + offsets.count * 8)
        for entry in offsets { bytes += bigEndian(entry.relativeOffset) + bigEndian(entry.position) }
        return bytes
    }

    /// The `.timeindex` file: header, then (timestampMs i64, relativeOffset u32) big-endian per entry.
    func encodedTimes() -> [UInt8] {
        var bytes = Self.timeMagic + bigEndian(Self.formatVersion)
        bytes.reserveCapacity(Self.headerBytes + times.count * 12)
        for entry in times { bytes += bigEndian(entry.timestampMs) + bigEndian(entry.relativeOffset) }
        return bytes
    }

    /// Index files read back, or nil when either is malformed or its entries are out of order or past
    /// `logBytes`. A nil makes the caller rebuild from the log, so no check here needs to be exhaustive.
    static func decode(offsets offsetBytes: [UInt8], times timeBytes: [UInt8], logBytes: Int64) -> SegmentIndex? {
        guard let offsets = decodeOffsets(offsetBytes, logBytes: logBytes),
            let times = decodeTimes(timeBytes)
        else { return nil }
        var index = SegmentIndex()
        index.offsets = offsets
        index.times = times
        return index
    }

    private static func decodeOffsets(_ bytes: [UInt8], logBytes: Int64) -> [OffsetEntry]? {
        guard hasHeader(bytes, magic: offsetMagic), (bytes.count - headerBytes) % 8 == 0 else { return nil }
        var entries: [OffsetEntry] = []
        var at = headerBytes
        while at < bytes.count {
            let entry = OffsetEntry(relativeOffset: load(bytes, at), position: load(bytes, at + 4))
            if let last = entries.last,
                entry.relativeOffset <= last.relativeOffset || entry.position <= last.position
            {
                return nil
            }
            guard Int64(entry.position) < logBytes else { return nil }
            entries.append(entry)
            at += 8
        }
        return entries
    }

    private static func decodeTimes(_ bytes: [UInt8]) -> [TimeEntry]? {
        guard hasHeader(bytes, magic: timeMagic), (bytes.count - headerBytes) % 12 == 0 else { return nil }
        var entries: [TimeEntry] = []
        var at = headerBytes
        while at < bytes.count {
            let entry = TimeEntry(timestampMs: load(bytes, at), relativeOffset: load(bytes, at + 8))
            if let last = entries.last,
                entry.timestampMs <= last.timestampMs || entry.relativeOffset < last.relativeOffset
            {
                return nil
            }
            entries.append(entry)
            at += 12
        }
        return entries
    }

    /// Checks the segment's tail (scanned from the last offset entry) against the time entries and
    /// adopts the newest timestamp from them; false means the files do not describe this log.
    mutating func adoptTail(lastRelativeOffset: UInt32, tailMaxTimestampMs: Int64) -> Bool {
        guard let lastTime = times.last, lastTime.timestampMs >= tailMaxTimestampMs,
            lastTime.relativeOffset <= lastRelativeOffset, (offsets.last?.relativeOffset ?? 0) <= lastRelativeOffset
        else { return false }
        runningMaxMs = lastTime.timestampMs
        self.lastRelativeOffset = lastRelativeOffset
        return true
    }

    private static func hasHeader(_ bytes: [UInt8], magic: [UInt8]) -> Bool {
        bytes.count >= headerBytes && Array(bytes[0..<4]) == magic && load(bytes, 4) as UInt32 == formatVersion
    }

    private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ at: Int) -> T {
        bytes.withUnsafeBytes { T(bigEndian: $0.loadUnaligned(fromByteOffset: at, as: T.self)) }
    }

    private func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

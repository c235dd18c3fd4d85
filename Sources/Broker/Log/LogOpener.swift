import Wire

/// Opens a partition directory: finds the segments, recovers them and checks they fit together.
enum LogOpener {
    /// The directory's segments (creating the first one if there is none) and what was repaired.
    static func open(directory: String, config: LogConfig) throws(LogError) -> ([LogSegment], LogRecoveryReport) {
        let names: [String]
        do {
            try Posix.mkdirs(directory)
            names = try Posix.listDirectory(directory)
        } catch {
            throw .io(error)
        }
        let bases = names.compactMap { SegmentName.baseOffset(of: $0, suffix: SegmentName.logSuffix) }.sorted()
        try removeLeftovers(names, directory: directory, bases: Set(bases))
        var report = LogRecoveryReport(truncatedBytes: 0, truncationReason: nil, rebuiltIndexes: 0, segmentCount: 1)
        guard let lastBase = bases.last else {
            let segment = try LogSegment.create(directory: directory, baseOffset: 0)
            do { try Posix.fsyncDirectory(directory) } catch { throw .io(error) }
            return ([segment], report)
        }
        var segments: [LogSegment] = []
        for base in bases.dropLast() {
            let (segment, repair) = try LogSegment.openSealed(
                directory: directory, baseOffset: base, intervalBytes: config.indexIntervalBytes)
            note(repair, in: &report)
            segments.append(segment)
        }
        let (active, repair) = try LogSegment.recover(
            directory: directory, baseOffset: lastBase, intervalBytes: config.indexIntervalBytes)
        note(repair, in: &report)
        segments.append(active)
        report.segmentCount = segments.count
        try checkOrder(segments)
        return (segments, report)
    }

    private static func note(_ repair: LogSegment.Repair, in report: inout LogRecoveryReport) {
        report.truncatedBytes += repair.truncatedBytes
        if report.truncationReason == nil { report.truncationReason = repair.reason }
        if repair.rebuiltIndex { report.rebuiltIndexes += 1 }
    }

    /// Refuses segments whose offsets overlap, which no cut at a tail can repair.
    private static func checkOrder(_ segments: [LogSegment]) throws(LogError) {
        for (earlier, later) in zip(segments, segments.dropFirst()) where earlier.nextOffset > later.baseOffset {
            throw .corruptSegment(
                path: later.path(SegmentName.logSuffix), position: 0,
                reason: "segment starts at \(later.baseOffset) but the one before ends at \(earlier.nextOffset)")
        }
    }

    /// Deletes half-written index files and indexes whose log is gone (retention removes the log first).
    private static func removeLeftovers(_ names: [String], directory: String, bases: Set<Int64>) throws(LogError) {
        for name in names {
            let orphan = [SegmentName.indexSuffix, SegmentName.timeIndexSuffix].contains { suffix in
                SegmentName.baseOffset(of: name, suffix: suffix).map { !bases.contains($0) } ?? false
            }
            let halfWritten =
                name.hasSuffix(SegmentName.indexSuffix + ".tmp") || name.hasSuffix(SegmentName.timeIndexSuffix + ".tmp")
            guard orphan || halfWritten else { continue }
            do { try Posix.unlink(directory + "/" + name) } catch { throw .io(error) }
        }
    }
}

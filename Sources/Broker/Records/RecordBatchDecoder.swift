import Wire

/// Iterates the records of one uncompressed record batch v2. Compressed batches are refused with
/// `compressionUnsupported`: Spate's broker passes them through, but its own decoder does not inflate.
public struct RecordBatchDecoder: Sendable {
    /// The batch's header.
    public let header: RecordBatchHeader
    private var reader: ByteReader
    private let batchStart: Int
    private var recordIndex: Int32 = 0

    /// A decoder over the whole batch occupying `range` of `bytes` (all of `bytes` when nil).
    public init(_ bytes: [UInt8], range: Range<Int>? = nil) throws(RecordBatchError) {
        let range = range ?? 0..<bytes.count
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "batch range outside the bytes")
        let header = try RecordBatchHeader.parse(bytes, at: range.lowerBound)
        guard header.totalBytes <= range.count else {
            throw .shortBatch(needed: header.totalBytes, available: range.count, at: range.lowerBound)
        }
        guard header.compressionCodec == 0 else {
            throw .compressionUnsupported(codec: header.compressionCodec, at: range.lowerBound)
        }
        self.header = header
        self.batchStart = range.lowerBound
        let recordsStart = range.lowerBound + RecordBatchHeader.size
        reader = ByteReader(bytes, range: recordsStart..<(range.lowerBound + header.totalBytes))
    }

    /// The next record, or nil after the last; throws if a record or the record count is malformed.
    public mutating func next() throws(RecordBatchError) -> Record? {
        guard let view = try nextView() else { return nil }
        do throws(DecodeError) {
            return try view.materialize(from: reader.storage)
        } catch {
            throw .malformedRecord(error, record: Int(recordIndex - 1), at: batchStart)
        }
    }

    /// The next record as positions in the decoded bytes (nothing copied), or nil after the last.
    public mutating func nextView() throws(RecordBatchError) -> RecordView? {
        guard recordIndex < header.recordCount else {
            guard reader.isAtEnd else {
                let error = DecodeError.invalidValue(
                    "\(reader.readableBytes) bytes after the last record", at: reader.readerIndex)
                throw .malformedRecord(error, record: Int(recordIndex), at: batchStart)
            }
            return nil
        }
        do throws(DecodeError) {
            let view = try decodeView()
            recordIndex += 1
            return view
        } catch {
            throw .malformedRecord(error, record: Int(recordIndex), at: batchStart)
        }
    }

    /// Calls `body` with each remaining record, in order, until it returns false: the records
    /// `nextView` gives, the common ones read in one pass over the batch's bytes (a map task's
    /// read-ahead spent a third of its record walk in per-record calls).
    public mutating func forEachView(_ body: (RecordView) -> Bool) throws(RecordBatchError) {
        while true {
            let (start, end, header, count) = (reader.readerIndex, reader.endIndex, header, header.recordCount)
            var cursor = start
            var index = recordIndex
            var stopped = false
            reader.storage.withUnsafeBufferPointer { bytes in
                while index < count, let scanned = RecordViewScan.scan(bytes, start: cursor, end: end, header: header) {
                    cursor += scanned.bytes
                    index += 1
                    guard body(scanned.view) else {
                        stopped = true
                        return
                    }
                }
            }
            do throws(DecodeError) { try reader.skip(cursor - start) } catch {
                throw .malformedRecord(error, record: Int(index), at: batchStart)
            }
            recordIndex = index
            if stopped { return }
            // What the scan does not read (headers, long varints, the end, anything malformed) takes the checked path.
            guard let view = try nextView(), body(view) else { return }
        }
    }

    private mutating func decodeView() throws(DecodeError) -> RecordView {
        let (start, end, header) = (reader.readerIndex, reader.endIndex, header)
        let scanned = reader.storage.withUnsafeBufferPointer { bytes in
            RecordViewScan.scan(bytes, start: start, end: end, header: header)
        }
        if let scanned {
            try reader.skip(scanned.bytes)
            return scanned.view
        }
        return try decodeViewChecked()
    }

    private mutating func decodeViewChecked() throws(DecodeError) -> RecordView {
        let lengthAt = reader.readerIndex
        let length = Int(try reader.readVarint32())
        guard length >= 0 else { throw .invalidLength(length, at: lengthAt) }
        var body = try reader.readSlice(count: length)
        _ = try body.readInt8()
        let timestampDelta = try body.readVarint64()
        let offsetDelta = try body.readVarint32()
        let key = try body.readVarintRange()
        let value = try body.readVarintRange()
        let headerCountAt = body.readerIndex
        let headerCount = Int(try body.readVarint32())
        // Each header takes at least two bytes, which bounds a hostile count before any work.
        guard headerCount >= 0, headerCount <= body.readableBytes / 2 else {
            throw .invalidLength(headerCount, at: headerCountAt)
        }
        let headersStart = body.readerIndex
        for _ in 0..<headerCount {
            let keyAt = body.readerIndex
            guard try body.readVarintRange() != nil else { throw .invalidLength(-1, at: keyAt) }
            _ = try body.readVarintRange()
        }
        guard body.isAtEnd else {
            throw .invalidValue("\(body.readableBytes) bytes left inside the record", at: body.readerIndex)
        }
        // Under LogAppendTime the broker stamped maxTimestamp and every record carries it.
        let timestampMs = header.isLogAppendTime ? header.maxTimestamp : header.baseTimestamp &+ timestampDelta
        return RecordView(
            offset: header.baseOffset &+ Int64(offsetDelta), timestampMs: timestampMs, key: key, value: value,
            headerCount: headerCount, headersRange: headersStart..<body.readerIndex)
    }

    /// Every record of the batch occupying `range` of `bytes`.
    public static func decodeAll(_ bytes: [UInt8], range: Range<Int>? = nil) throws(RecordBatchError) -> [Record] {
        var decoder = try RecordBatchDecoder(bytes, range: range)
        var records: [Record] = []
        // A record takes at least 7 bytes, which caps a hostile recordCount before allocating.
        let recordsMax = (decoder.header.totalBytes - RecordBatchHeader.size) / 7
        records.reserveCapacity(min(Int(decoder.header.recordCount), recordsMax))
        while let record = try decoder.next() { records.append(record) }
        return records
    }

    /// Every data record of fetched bytes at or after `fromOffset`: control batches and the records a
    /// broker returns before the requested offset are skipped, a trailing partial batch is ignored.
    public static func records(inFetched bytes: [UInt8], fromOffset: Int64 = 0, verifyCRC: Bool = false)
        throws(RecordBatchError) -> [Record]
    {
        var records: [Record] = []
        for batch in try RecordBatchSplitter.splitFetched(bytes, verifyCRC: verifyCRC) {
            if batch.header.isControl || batch.header.lastOffset < fromOffset { continue }
            var decoder = try RecordBatchDecoder(bytes, range: batch.range)
            while let record = try decoder.next() {
                if record.offset >= fromOffset { records.append(record) }
            }
        }
        return records
    }
}

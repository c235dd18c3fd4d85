/// One partition's Fetch answer: the record-batch bytes exactly as the broker sent them, the batches
/// found in them, and the partition's offsets. The bytes stay where they arrived, inside the response
/// frame (`buffer`, shared by every partition of the response, so holding one answer keeps the whole
/// frame), and records are read in place through `RecordView`s, whose key and value ranges index
/// `buffer`: nothing is copied.
public struct FetchedPartition: Sendable {
    public let topic: String
    public let partition: Int32
    /// The offset asked for; records before it (in the first batch) are skipped by the iterator.
    public let fetchOffset: Int64
    public let highWatermark: Int64
    public let lastStableOffset: Int64
    public let logStartOffset: Int64
    /// Raw record batches (v2), a view into `buffer`; a trailing partial batch, if the broker cut
    /// one, is ignored.
    public let records: SharedBytes
    /// The complete batches in `records`, in order; their ranges are positions in `buffer`.
    public let batches: [RecordBatchRange]

    /// Splits `records` into batches, checking framing (and CRCs when `verifyCRC`).
    public init(
        topic: String, partition: Int32, fetchOffset: Int64, highWatermark: Int64, lastStableOffset: Int64 = -1,
        logStartOffset: Int64 = -1, records: SharedBytes, verifyCRC: Bool = false
    ) throws(KafkaClientError) {
        self.topic = topic
        self.partition = partition
        self.fetchOffset = fetchOffset
        self.highWatermark = highWatermark
        self.lastStableOffset = lastStableOffset
        self.logStartOffset = logStartOffset
        self.records = records
        do throws(RecordBatchError) {
            batches = try RecordBatchSplitter.splitFetched(records.storage, range: records.range, verifyCRC: verifyCRC)
        } catch {
            throw .malformedRecords(topic: topic, partition: partition, reason: error.description)
        }
    }

    /// The array every range of this answer indexes (batches, record views): the response frame.
    public var buffer: [UInt8] { records.storage }

    /// The offset to fetch next: just past the last complete batch, never before `fetchOffset`.
    public var nextOffset: Int64 {
        guard let last = batches.last else { return fetchOffset }
        return max(fetchOffset, last.header.nextOffset)
    }

    /// True when the answer held no complete batch.
    public var isEmpty: Bool { batches.isEmpty }

    /// Records the partition holds past `nextOffset` (0 when caught up).
    public var lag: Int64 { max(0, highWatermark - nextOffset) }

    /// An iterator over the data records at or after `fetchOffset`, as views into `buffer`.
    public func makeRecordIterator() -> FetchedRecordIterator { FetchedRecordIterator(self) }

    /// Calls `body` with every data record at or after `fetchOffset`, in offset order, until it
    /// returns false: the records `makeRecordIterator` gives, walked a batch at a time.
    public func forEachRecord(_ body: (RecordView) -> Bool) throws(KafkaClientError) {
        for batch in batches where !batch.header.isControl && batch.header.lastOffset >= fetchOffset {
            var stopped = false
            do throws(RecordBatchError) {
                var decoder = try RecordBatchDecoder(buffer, range: batch.range)
                try decoder.forEachView { view in
                    // A batch may start before the fetch offset (G7).
                    guard view.offset >= fetchOffset else { return true }
                    stopped = !body(view)
                    return !stopped
                }
            } catch {
                throw .malformedRecords(topic: topic, partition: partition, reason: error.description)
            }
            if stopped { return }
        }
    }

    /// Every data record at or after `fetchOffset`, as views; no key or value is copied.
    public func recordViews() throws(KafkaClientError) -> [RecordView] {
        var views: [RecordView] = []
        views.reserveCapacity(batches.reduce(0) { $0 + Int($1.header.recordCount) })
        var iterator = makeRecordIterator()
        while let view = try iterator.next() { views.append(view) }
        return views
    }

    /// Every data record at or after `fetchOffset`, with keys, values and headers copied out.
    public func decodedRecords() throws(KafkaClientError) -> [Record] {
        var decoded: [Record] = []
        var iterator = makeRecordIterator()
        while let view = try iterator.next() {
            do { decoded.append(try view.materialize(from: buffer)) } catch {
                throw .malformedRecords(topic: topic, partition: partition, reason: error.description)
            }
        }
        return decoded
    }

    /// The key bytes of `view` (a slice of `buffer`, not a copy); nil for a null key.
    public func key(of view: RecordView) -> ArraySlice<UInt8>? { view.key.map { buffer[$0] } }

    /// The value bytes of `view` (a slice of `buffer`, not a copy); nil for a null value.
    public func value(of view: RecordView) -> ArraySlice<UInt8>? { view.value.map { buffer[$0] } }

    /// The headers of `view`, decoded.
    public func headers(of view: RecordView) throws(KafkaClientError) -> [RecordHeader] {
        do { return try view.headers(in: buffer) } catch {
            throw .malformedRecords(topic: topic, partition: partition, reason: error.description)
        }
    }
}

/// Walks a fetched partition's records in offset order: control batches and records before the
/// fetch offset (a batch may start earlier, G7) are skipped; keys and values stay in place.
public struct FetchedRecordIterator {
    private let fetched: FetchedPartition
    private var batchIndex = 0
    private var decoder: RecordBatchDecoder?

    init(_ fetched: FetchedPartition) {
        self.fetched = fetched
    }

    /// The next record, or nil after the last.
    public mutating func next() throws(KafkaClientError) -> RecordView? {
        while true {
            if decoder != nil {
                let view: RecordView?
                do throws(RecordBatchError) { view = try decoder?.nextView() } catch { throw wrap(error) }
                if let view {
                    if view.offset >= fetched.fetchOffset { return view }
                    continue
                }
                decoder = nil
            }
            guard batchIndex < fetched.batches.count else { return nil }
            let batch = fetched.batches[batchIndex]
            batchIndex += 1
            if batch.header.isControl || batch.header.lastOffset < fetched.fetchOffset { continue }
            do throws(RecordBatchError) {
                decoder = try RecordBatchDecoder(fetched.buffer, range: batch.range)
            } catch {
                throw wrap(error)
            }
        }
    }

    private func wrap(_ error: RecordBatchError) -> KafkaClientError {
        .malformedRecords(topic: fetched.topic, partition: fetched.partition, reason: error.description)
    }
}

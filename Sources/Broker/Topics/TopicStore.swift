import Synchronization
import Wire

/// Every topic the broker hosts, under `<data-dir>`: one `PartitionLog` directory per partition
/// (`<topic>-<n>`, as Kafka names them) and the topic list in `topics.meta`.
final class TopicStore: Sendable {
    /// How creating a topic went.
    enum CreateOutcome: Sendable {
        case created(BrokerTopic)
        case alreadyExists(BrokerTopic)
    }

    let dataDirectory: String
    let logConfig: LogConfig
    let producerScanBytes: Int64
    /// Lookups take this briefly on every request.
    private let topics: Mutex<[String: BrokerTopic]>
    /// Serializes creations and holds the list as persisted, so lookups never wait for an fsync.
    private let persisted: Mutex<[TopicRecord]>

    /// Opens every topic recorded under `dataDirectory`, recovering each partition's log.
    init(dataDirectory: String, logConfig: LogConfig, producerScanBytes: Int64) throws(TopicStoreError) {
        self.dataDirectory = dataDirectory
        self.logConfig = logConfig
        self.producerScanBytes = producerScanBytes
        let records = try TopicMetadataFile.load(dataDirectory: dataDirectory)
        var opened: [String: BrokerTopic] = [:]
        for record in records {
            opened[record.name] = try Self.open(
                record, dataDirectory: dataDirectory, config: logConfig, scanBytes: producerScanBytes)
        }
        topics = Mutex(opened)
        persisted = Mutex(records)
    }

    private static func open(_ record: TopicRecord, dataDirectory: String, config: LogConfig, scanBytes: Int64)
        throws(TopicStoreError) -> BrokerTopic
    {
        var partitions: [BrokerPartition] = []
        for index in 0..<record.partitionCount {
            partitions.append(
                try BrokerPartition(
                    topic: record.name, index: index, dataDirectory: dataDirectory, config: config,
                    producerScanBytes: scanBytes))
        }
        return BrokerTopic(name: record.name, partitions: partitions, createdMs: record.createdMs)
    }

    /// The topic called `name`, if it exists.
    func topic(_ name: String) -> BrokerTopic? { topics.withLock { $0[name] } }

    /// How many topics exist.
    var count: Int { topics.withLock { $0.count } }

    /// Every topic, sorted by name.
    var allTopics: [BrokerTopic] { topics.withLock { Array($0.values) }.sorted { $0.name < $1.name } }

    /// The largest producer id any partition's tail remembers, -1 if none.
    var producerIdMax: Int64 { allTopics.flatMap(\.partitions).map(\.producerIdMax).max() ?? -1 }

    /// Creates `name` with `partitionCount` partitions (the caller validated both), or finds it.
    ///
    /// The logs are opened before the topic list is rewritten, so a crash in between leaves only
    /// empty directories that a later creation of the same name adopts.
    func create(_ name: String, partitionCount: Int32, nowMs: Int64) throws(TopicStoreError) -> CreateOutcome {
        precondition(TopicName.isValid(name) && partitionCount > 0, "create called with an invalid topic")
        return try persisted.withLock { records throws(TopicStoreError) -> CreateOutcome in
            if let existing = topic(name) { return .alreadyExists(existing) }
            let record = TopicRecord(name: name, partitionCount: partitionCount, createdMs: nowMs)
            let created = try Self.open(
                record, dataDirectory: dataDirectory, config: logConfig, scanBytes: producerScanBytes)
            let updated = records + [record]
            do throws(TopicStoreError) {
                try TopicMetadataFile.save(updated, dataDirectory: dataDirectory)
            } catch {
                Self.close(created)
                throw error
            }
            records = updated
            topics.withLock { $0[name] = created }
            return .created(created)
        }
    }

    /// Flushes and closes every partition log; returns the failures, if any.
    func close() -> [TopicStoreError] {
        let all = topics.withLock { topics -> [BrokerTopic] in
            defer { topics.removeAll() }
            return Array(topics.values)
        }
        return all.flatMap { Self.close($0) }
    }

    @discardableResult
    private static func close(_ topic: BrokerTopic) -> [TopicStoreError] {
        var failures: [TopicStoreError] = []
        for partition in topic.partitions {
            do throws(LogError) {
                try partition.log.close()
            } catch {
                failures.append(.log(topic: topic.name, partition: partition.index, error))
            }
        }
        return failures
    }
}

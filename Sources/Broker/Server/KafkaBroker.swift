import Foundation
import Synchronization
import Wire

/// A running Kafka-compatible broker: `KafkaBroker.start(config)` opens the data directory, listens,
/// and serves until `stop()`. This is what `spate broker` runs and what tests start in-process.
public final class KafkaBroker: Sendable {
    /// The address the broker listens on (with the real port when the config asked for port 0).
    public let address: SocketAddress
    /// Host clients are told to connect to (Metadata, FindCoordinator).
    public let advertisedHost: String
    /// The data directory in use.
    public let dataDirectory: String

    let core: BrokerCore
    private let listener: KafkaListener
    private let maintenance: BrokerMaintenance
    private let lock: Mutex<DataDirectoryLock?>

    /// How long `stop` waits for connection threads to finish their current request.
    static let stopTimeoutMs = 10_000

    private init(
        address: SocketAddress, dataDirectory: String, core: BrokerCore, listener: KafkaListener,
        maintenance: BrokerMaintenance, lock: DataDirectoryLock
    ) {
        self.address = address
        self.advertisedHost = core.advertisedHost
        self.dataDirectory = dataDirectory
        self.core = core
        self.listener = listener
        self.maintenance = maintenance
        self.lock = Mutex(lock)
    }

    deinit { stop() }

    /// The port clients connect to.
    public var port: UInt16 { address.port }

    /// `host:port` as clients should be given it (`bootstrap.servers`).
    public var bootstrapServer: String { "\(advertisedHost):\(address.port)" }

    /// Opens `config.dataDirectory` (recovering every partition log), listens, and starts serving.
    public static func start(_ config: BrokerConfig) throws(BrokerError) -> KafkaBroker {
        if let problem = config.problem { throw .invalidConfig(problem) }
        let directory = config.dataDirectory
        do throws(PosixError) {
            try Posix.mkdirs(directory)
        } catch {
            throw .dataDirectory(path: directory, reason: error.description)
        }
        let lock = try DataDirectoryLock(dataDirectory: directory)
        let topics: TopicStore
        do throws(TopicStoreError) {
            topics = try TopicStore(
                dataDirectory: directory, logConfig: config.log, producerScanBytes: config.producerStateScanBytes)
        } catch {
            throw .topics(error)
        }
        do throws(BrokerError) {
            return try start(config, topics: topics, lock: lock)
        } catch {
            _ = topics.close()
            throw error
        }
    }

    private static func start(_ config: BrokerConfig, topics: TopicStore, lock: DataDirectoryLock) throws(BrokerError)
        -> KafkaBroker
    {
        let producerIds: ProducerIdAllocator
        do throws(TopicStoreError) {
            producerIds = try ProducerIdAllocator(dataDirectory: config.dataDirectory, floor: topics.producerIdMax + 1)
        } catch {
            throw .topics(error)
        }
        let hostToken = try HostToken(dataDirectory: config.dataDirectory)
        let store: OffsetStore
        do throws(OffsetStoreError) {
            store = try OffsetStore(dataDirectory: config.dataDirectory)
        } catch {
            throw .offsets(error)
        }
        let groups = GroupShell(store: store, config: config.groups)
        let socket: Socket
        let bound: SocketAddress
        do {
            socket = try Socket.listen(on: try SocketAddress(host: config.bindHost, port: config.port))
            bound = try socket.localAddress()
        } catch let error as SocketAddress.ParseError {
            groups.closeStore()
            throw .badAddress(error)
        } catch {
            groups.closeStore()
            throw .listen(error as? PosixError ?? PosixError(call: "listen", errno: 0))
        }
        let core = BrokerCore(
            config: config, topics: topics, producerIds: producerIds, groups: groups,
            advertisedHost: config.advertisedHost ?? defaultAdvertisedHost(bound), advertisedPort: Int32(bound.port),
            hostToken: hostToken)
        let listener = KafkaListener(socket: socket, core: core)
        let maintenance = BrokerMaintenance(topics: topics, config: config)
        groups.start()
        maintenance.start()
        listener.start()
        return KafkaBroker(
            address: bound, dataDirectory: config.dataDirectory, core: core, listener: listener,
            maintenance: maintenance, lock: lock)
    }

    /// The bind address, or this machine's name when bound to every interface (0.0.0.0 is no
    /// address a client can connect to).
    static func defaultAdvertisedHost(_ bound: SocketAddress) -> String {
        guard bound.host == "0.0.0.0" || bound.host == "::" else { return bound.host }
        return ProcessInfo.processInfo.hostName
    }

    /// Stops serving: closes every connection, waits for in-flight requests, flushes and closes every
    /// log and the offset store, and releases the data directory. Blocks; safe to call twice.
    public func stop() {
        guard let lock = lock.withLock({ $0.take() }) else { return }
        core.appendSignal.stop()
        core.groups.stop()
        if !listener.stop(timeoutMs: Self.stopTimeoutMs) {
            core.config.eventLog?("some connections were still busy after \(Self.stopTimeoutMs) ms")
        }
        maintenance.stop()
        for failure in core.topics.close() { core.config.eventLog?("closing: \(failure)") }
        core.groups.closeStore()
        withExtendedLifetime(lock) {}
    }

    /// The broker's counters right now.
    public var metrics: BrokerMetricsSnapshot { core.metrics(openConnections: listener.openConnections) }
}

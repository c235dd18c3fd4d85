import Broker
import Synchronization

/// One Kafka client per broker address, shared by every task (the client is thread-safe and keeps
/// its connections and metadata between tasks).
final class BrokerClients: Sendable {
    private let clients = Mutex<[String: KafkaClient]>([:])
    private let clientId: String

    init(clientId: String) {
        self.clientId = clientId
    }

    /// The client of the broker at `address` ("host:port"), created on first use.
    func client(for address: String) throws(TaskFailure) -> KafkaClient {
        if let client = clients.withLock({ $0[address] }) { return client }
        let client: KafkaClient
        do throws(KafkaClientError) {
            var config = KafkaClientConfig(bootstrap: address, clientId: clientId)
            // A task's reads skip the socket when the broker shares this host's files.
            config.localReads = true
            client = try KafkaClient(config)
        } catch {
            throw TaskFailure("cannot use the broker address '\(address)' the driver gave: \(error)")
        }
        return clients.withLock { clients in
            if let existing = clients[address] { return existing }
            clients[address] = client
            return client
        }
    }

    /// Closes every client.
    func closeAll() {
        let all = clients.withLock { clients in
            defer { clients = [:] }
            return Array(clients.values)
        }
        for client in all { client.close() }
    }
}

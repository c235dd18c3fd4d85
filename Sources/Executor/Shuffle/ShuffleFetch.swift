import Query
import Wire

/// Gathers a reduce task's blocks from every map output, in map-partition order (so a replay
/// merges them in the same order and writes byte-identical state): its own store directly, other
/// executors' over their shuffle servers, a few at a time. The first output that cannot be read
/// (in map order) fails the task with a fetch failure naming it.
struct ShuffleFetch {
    /// Remote fetches in flight at once for one task.
    static let fetchesInFlightMax = 8

    let runner: TaskRunner
    let context: TaskContext

    /// The blocks of `outputs` for this task's partition, ordered by map partition.
    func blocks(_ outputs: [ShuffleBlockSource]) throws(TaskFailure) -> [[UInt8]] {
        let sources = outputs.sorted { $0.mapPartition < $1.mapPartition }
        for (previous, next) in zip(sources, sources.dropFirst()) where previous.mapPartition == next.mapPartition {
            throw TaskFailure("the task names two outputs of map partition \(next.mapPartition)")
        }
        guard context.task.stage >= 1 else { throw TaskFailure("a reduce task cannot run in stage 0") }
        var blocks = [[UInt8]?](repeating: nil, count: sources.count)
        var remote: [Int] = []
        for (index, source) in sources.enumerated() {
            guard source.executorId == context.session.executorId else {
                remote.append(index)
                continue
            }
            guard let block = runner.shuffle.block(key(source), reducePartition: context.task.partition) else {
                throw failure(source, reason: "this executor does not hold it (any more)")
            }
            blocks[index] = block
        }
        for (index, result) in fetchRemote(remote.map { sources[$0] }).enumerated() {
            switch result {
            case .success(let block): blocks[remote[index]] = block
            case .failure(let reason): throw failure(sources[remote[index]], reason: reason.description)
            }
        }
        return blocks.map { $0 ?? [] }
    }

    private func key(_ source: ShuffleBlockSource) -> ShuffleKey {
        ShuffleKey(
            jobId: context.task.jobId, batchId: context.task.batchId, stage: context.task.stage - 1,
            mapPartition: source.mapPartition)
    }

    private func failure(_ source: ShuffleBlockSource, reason: String) -> TaskFailure {
        TaskFailure(
            "cannot read the shuffle output of map partition \(source.mapPartition) (attempt \(source.mapAttemptId)) "
                + "from executor \(source.executorId) at \(source.host):\(source.port): \(reason)",
            fetchFailure: ShuffleFetchFailure(
                stage: context.task.stage - 1, mapPartition: source.mapPartition, mapAttemptId: source.mapAttemptId,
                executorId: source.executorId))
    }

    /// One result per source, in the order given.
    private func fetchRemote(_ sources: [ShuffleBlockSource]) -> [Result<[UInt8], FetchError>] {
        guard !sources.isEmpty else { return [] }
        let requests = sources.map { source in
            ShuffleBlockRequest(
                jobId: context.task.jobId, batchId: context.task.batchId, stage: context.task.stage - 1,
                mapPartition: source.mapPartition, reducePartition: context.task.partition)
        }
        let addresses = sources.map { Self.address(host: $0.host, port: $0.port) }
        let peers = runner.peers
        let timeoutMs = runner.settings.fetchTimeoutMs
        let cancel = context.cancel
        let fetched = try? BlockingWait.run {
            await Self.fetchAll(requests, addresses, peers: peers, timeoutMs: timeoutMs, cancel: cancel)
        }
        return fetched ?? sources.map { _ in .failure(FetchError("the fetch did not run")) }
    }

    private static func fetchAll(
        _ requests: [ShuffleBlockRequest], _ addresses: [String], peers: PeerConnections, timeoutMs: Int,
        cancel: CancelFlag
    ) async -> [Result<[UInt8], FetchError>] {
        var results = [Result<[UInt8], FetchError>](
            repeating: .failure(FetchError("not fetched")), count: requests.count)
        await withTaskGroup(of: (Int, Result<[UInt8], FetchError>).self) { group in
            var next = 0
            func startNext() {
                let index = next
                next += 1
                group.addTask {
                    if cancel.isCancelled { return (index, .failure(FetchError("the task was cancelled"))) }
                    do {
                        let body = requests[index].encoded()
                        let block = try await peers.call(
                            addresses[index], .fetchShuffleBlock, body, timeoutMs: timeoutMs)
                        return (index, .success(block))
                    } catch {
                        return (index, .failure(FetchError("\(error)")))
                    }
                }
            }
            while next < requests.count && next < fetchesInFlightMax { startNext() }
            for await (index, result) in group {
                results[index] = result
                if next < requests.count { startNext() }
            }
        }
        return results
    }

    /// "host:port", bracketing IPv6 hosts.
    static func address(host: String, port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Why one remote block could not be had.
struct FetchError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Dispatch
import Foundation
import Synchronization
import Wire

/// The I/O shell around the pure `GroupCoordinator` (see its doc comment for the contract): it
/// feeds requests with the monotonic clock, carries out directives, makes commits durable in the
/// `OffsetStore` outside the coordinator's lock, and ticks timers on a dedicated thread.
///
/// A connection thread calls one of the request methods and blocks until its own answer arrives,
/// which may be produced by another connection's request or by a tick (a held JoinGroup). Since a
/// connection serves one request at a time, responses stay in request order (G8).
final class GroupShell: Sendable {
    private let coordinator: Mutex<GroupCoordinator>
    /// Separate from the coordinator's lock so a slow fsync never blocks group traffic.
    private let store: Mutex<OffsetStore>
    private let slots = Mutex<SlotTable>(SlotTable())
    private let nextToken = Atomic<UInt64>(1)
    private let tickWake = DispatchSemaphore(value: 0)
    private let tickerDone = DispatchSemaphore(value: 0)
    private let started = Atomic<Bool>(false)
    let tickIntervalMs: Int

    private struct SlotTable {
        var waiting: [GroupRequestToken: ResponseSlot<GroupDirective>] = [:]
        var stopped = false
    }

    /// A shell over the offsets in `store`; call `start` to run the ticker.
    init(store: sending OffsetStore, config: GroupCoordinatorConfig, tickIntervalMs: Int = 100) {
        coordinator = Mutex(GroupCoordinator(config: config, committedOffsets: store.offsets))
        self.store = Mutex(store)
        self.tickIntervalMs = tickIntervalMs
    }

    /// Starts the ticker thread.
    func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in tickLoop() }
        thread.name = "spate-broker-groups"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Stops the ticker and wakes every waiting request without an answer; later requests get
    /// COORDINATOR_NOT_AVAILABLE. Call `closeStore` once no connection thread can commit any more.
    func stop() {
        let waiting = slots.withLock { table -> [ResponseSlot<GroupDirective>]? in
            if table.stopped { return nil }
            table.stopped = true
            return Array(table.waiting.values)
        }
        guard let waiting else { return }
        for slot in waiting { slot.cancel() }
        tickWake.signal()
        if started.load(ordering: .acquiring) { tickerDone.wait() }
    }

    /// Closes the offset store; commits after this answer NOT_COORDINATOR.
    func closeStore() {
        store.withLock { $0.close() }
    }

    /// Groups the coordinator tracks.
    var groupCount: Int {
        // A group whose members are gone but whose offsets stay is still a group to its consumers.
        coordinator.withLock { Set($0.groupIds).union($0.committedOffsets.keys).count }
    }

    // MARK: requests

    func join(_ request: JoinGroupRequest, version: Int16, clientId: String, clientHost: String) -> JoinGroupResponse {
        let answer = call { coordinator, token, nowMs in
            coordinator.join(
                request, version: version, clientId: clientId, clientHost: clientHost, token: token, nowMs: nowMs)
        }
        guard case .respondJoin(_, let response)? = answer else {
            return JoinGroupResponse(errorCode: .coordinatorNotAvailable, memberId: request.memberId)
        }
        return response
    }

    func sync(_ request: SyncGroupRequest) -> SyncGroupResponse {
        let answer = call { coordinator, token, nowMs in coordinator.sync(request, token: token, nowMs: nowMs) }
        guard case .respondSync(_, let response)? = answer else {
            return SyncGroupResponse(errorCode: .coordinatorNotAvailable, assignment: [])
        }
        return response
    }

    func heartbeat(_ request: HeartbeatRequest) -> HeartbeatResponse {
        let answer = call { coordinator, token, nowMs in coordinator.heartbeat(request, token: token, nowMs: nowMs) }
        guard case .respondHeartbeat(_, let response)? = answer else {
            return HeartbeatResponse(errorCode: .coordinatorNotAvailable)
        }
        return response
    }

    func leave(_ request: LeaveGroupRequest, version: Int16) -> LeaveGroupResponse {
        let answer = call { coordinator, token, nowMs in
            coordinator.leave(request, version: version, token: token, nowMs: nowMs)
        }
        guard case .respondLeave(_, let response)? = answer else {
            return LeaveGroupResponse(errorCode: .coordinatorNotAvailable)
        }
        return response
    }

    func commit(_ request: OffsetCommitRequest) -> OffsetCommitResponse {
        let wallMs = WallClock.milliseconds()
        let answer = call { coordinator, token, nowMs in
            coordinator.commitOffsets(request, token: token, nowMs: nowMs, commitTimestampMs: wallMs)
        }
        guard case .respondCommit(_, let response)? = answer else {
            return GroupCoordinator.commitResponse(request) { _, _ in .coordinatorNotAvailable }
        }
        return response
    }

    func fetchOffsets(_ request: OffsetFetchRequest) -> OffsetFetchResponse {
        coordinator.withLock { $0.fetchOffsets(request) }
    }

    // MARK: plumbing

    /// Registers a slot for a fresh token, runs one event, carries out its directives and waits for
    /// this request's own answer; nil if the broker stopped first.
    private func call(
        _ event: (inout GroupCoordinator, GroupRequestToken, Int64) -> [GroupDirective]
    ) -> GroupDirective? {
        let token = GroupRequestToken(nextToken.add(1, ordering: .relaxed).newValue)
        let slot = ResponseSlot<GroupDirective>()
        let admitted = slots.withLock { table -> Bool in
            guard !table.stopped else { return false }
            table.waiting[token] = slot
            return true
        }
        guard admitted else { return nil }
        let nowMs = Int64(MonotonicClock.milliseconds())
        let directives = coordinator.withLock { event(&$0, token, nowMs) }
        carryOut(directives)
        let answer = slot.wait()
        slots.withLock { _ = $0.waiting.removeValue(forKey: token) }
        return answer
    }

    /// Delivers responses to their waiting requests and makes commits durable, in order.
    private func carryOut(_ directives: [GroupDirective]) {
        for directive in directives {
            if case .persistOffsets(let token, let batch) = directive {
                let succeeded = store.withLock { store in
                    do {
                        try store.append(batch)
                        return true
                    } catch {
                        return false
                    }
                }
                carryOut(coordinator.withLock { $0.offsetsPersisted(token: token, succeeded: succeeded) })
                continue
            }
            guard let token = directive.answeredToken else { continue }
            slots.withLock { $0.waiting[token] }?.fill(directive)
        }
    }

    private func tickLoop() {
        while !slots.withLock({ $0.stopped }) {
            let nowMs = Int64(MonotonicClock.milliseconds())
            carryOut(coordinator.withLock { $0.tick(nowMs: nowMs) })
            _ = tickWake.wait(timeout: .now() + .milliseconds(tickIntervalMs))
        }
        tickerDone.signal()
    }
}

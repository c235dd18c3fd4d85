/// Whether map tasks fetch their partition's next range in the background while they work.
public enum ReadAheadPolicy: String, Sendable {
    /// Read ahead only when the slots leave a core free.
    case auto
    /// Always read ahead over a backlog.
    case on
    /// Each task reads its own range when it starts.
    case off

    /// Whether an executor with `slots` slots on `cores` cores reads ahead. With every core taken
    /// by a slot, a read-ahead only moves work onto a busy core: there `spate bench query
    /// --threads 2` ran faster without it in 7 of 8 interleaved pairs (3.03M against 2.91M events/s
    /// median), because the copy and walk of the next range slowed whichever task shared its core,
    /// and the other slot then idled at the batch's end. With a core free, the read-ahead is work
    /// that core would not otherwise do (1 thread: 1.84M against 1.66M events/s).
    public func readsAhead(slots: Int, cores: Int) -> Bool {
        switch self {
        case .auto: slots < cores
        case .on: true
        case .off: false
        }
    }
}

extension TaskPriority {
    /// The priority of control-plane tasks: RPC handlers, task launches, the executor's session.
    ///
    /// Swift's shared pool runs the highest priority first and is first-in first-out within one.
    /// A handler started at the default priority queues behind every task already waiting, so a
    /// registration or a heartbeat could wait seconds behind bulk work (Spark gives its RPC
    /// dispatcher threads of their own for the same reason). Control work is short, so running it
    /// first costs the bulk work little.
    public static let control: TaskPriority = .high
}

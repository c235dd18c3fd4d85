/// Namespace for the Scheduler module; its code arrives with its issue.
public enum SchedulerModule {
    /// The module's name, used in diagnostics.
    public static let name = "Scheduler"
}

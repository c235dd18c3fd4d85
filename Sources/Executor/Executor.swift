/// Namespace for the Executor module; its code arrives with its issue.
public enum ExecutorModule {
    /// The module's name, used in diagnostics.
    public static let name = "Executor"
}

/// Namespace for the Query module; its code arrives with its issue.
public enum QueryModule {
    /// The module's name, used in diagnostics.
    public static let name = "Query"
}

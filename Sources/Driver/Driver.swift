/// Namespace for the Driver module; its code arrives with its issue.
public enum DriverModule {
    /// The module's name, used in diagnostics.
    public static let name = "Driver"
}

/// Namespace for the Broker module.
public enum BrokerModule {
    /// The module's name, used in diagnostics.
    public static let name = "Broker"
}

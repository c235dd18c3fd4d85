/// Kafka's rules for topic names: 1 to 249 characters from `[a-zA-Z0-9._-]`, neither "." nor "..".
public enum TopicName {
    /// Kafka's limit: a partition directory `<topic>-<partition>` must still fit a 255-byte file name.
    public static let lengthMax = 249

    /// Names Spate keeps for itself; `__consumer_offsets` is where committed offsets live, as in Kafka.
    public static let reserved: Set<String> = ["__consumer_offsets"]

    /// Why `name` is not a legal topic name, or nil when it is.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "topic name is empty" }
        if name == "." || name == ".." { return "topic name cannot be \"\(name)\"" }
        let length = name.utf8.count
        if length > lengthMax { return "topic name is \(length) characters long, over the limit of \(lengthMax)" }
        if let bad = name.unicodeScalars.first(where: { !isLegal($0) }) {
            return "topic name \"\(name)\" contains \"\(bad)\"; only ASCII letters, digits, '.', '_' and '-' are legal"
        }
        if reserved.contains(name) { return "topic name \"\(name)\" is reserved for the broker's own use" }
        return nil
    }

    /// True when `name` is a legal topic name that clients may create.
    public static func isValid(_ name: String) -> Bool { problem(name) == nil }

    private static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}

/// Job names, which are also job ids, checkpoint directory names and the prefix of the
/// dead-letter topic `<name>.dlq`, so they keep to what all three accept.
public enum JobName {
    /// The longest name (a Kafka topic name may have 249 characters; `.dlq` is added).
    public static let lengthMax = 200

    /// Why `name` cannot be a job name, or nil when it can.
    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "a job name cannot be empty" }
        if name.utf8.count > lengthMax { return "a job name has at most \(lengthMax) characters" }
        if name == "." || name == ".." { return "'\(name)' cannot be a job name" }
        let allowed = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        return allowed ? nil : "job name '\(name)' may contain only letters, digits, '.', '_' and '-'"
    }

    /// The name a file gives a job: its base name without `.sql`, other characters replaced by '_'.
    public static func derived(fromFileName fileName: String) -> String {
        var base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        if base.hasSuffix(".sql") { base.removeLast(4) }
        let cleaned = String(
            base.unicodeScalars.map { scalar -> Character in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            })
        let trimmed = String(cleaned.prefix(lengthMax))
        return trimmed.isEmpty || trimmed == "." || trimmed == ".." ? "job" : trimmed
    }
}

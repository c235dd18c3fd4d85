/// The `WITH (...)` options of one CREATE statement, checked for duplicates and unknown keys,
/// with typed readers whose errors point at the offending value.
struct OptionList {
    let settings: [OptionSetting]
    /// `CREATE STREAM clicks` or `CREATE SINK out`, for messages.
    let owner: String

    /// Options of `owner`; every key must be in `valid`.
    init(_ settings: [OptionSetting], valid: [String], owner: String) throws(SQLError) {
        var seen: [String: SourcePosition] = [:]
        for setting in settings {
            if let first = seen[setting.key] {
                throw SQLError(
                    "option '\(setting.key)' is given twice (first at \(first.line):\(first.column))",
                    at: setting.keyPosition)
            }
            seen[setting.key] = setting.keyPosition
            guard valid.contains(setting.key) else {
                let hint = Suggestions.hint(setting.key, among: valid, label: "valid options")
                throw SQLError("unknown option '\(setting.key)' for \(owner)\(hint)", at: setting.keyPosition)
            }
        }
        self.settings = settings
        self.owner = owner
    }

    subscript(key: String) -> OptionSetting? { settings.first { $0.key == key } }

    /// Every option as a dictionary, for the plan's `options`.
    var dictionary: [String: String] {
        Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The option, or an error at `position` saying it is required and what it is for.
    func required(_ key: String, purpose: String, at position: SourcePosition) throws(SQLError) -> OptionSetting {
        guard let setting = self[key], !setting.value.isEmpty else {
            if let setting = self[key] {
                throw SQLError("option '\(key)' must not be empty", at: setting.valuePosition)
            }
            throw SQLError("\(owner) needs option '\(key)' (\(purpose)): WITH (\(key) = '...')", at: position)
        }
        return setting
    }

    /// One of `choices` (case-insensitive), or `fallback` when absent.
    func choice(_ key: String, among choices: [String], default fallback: String) throws(SQLError) -> String {
        guard let setting = self[key] else { return fallback }
        let value = setting.value.lowercased()
        guard choices.contains(value) else {
            let hint = Suggestions.hint(value, among: choices, label: "valid values")
            throw SQLError("invalid \(key) '\(setting.value)'\(hint)", at: setting.valuePosition)
        }
        return value
    }

    /// An integer in `range`, or nil when absent.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(SQLError) -> Int? {
        guard let setting = self[key] else { return nil }
        guard let value = Int(setting.value), range.contains(value) else {
            throw SQLError(
                "option '\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound), found '\(setting.value)'",
                at: setting.valuePosition)
        }
        return value
    }

    /// true or false, or nil when absent.
    func bool(_ key: String) throws(SQLError) -> Bool? {
        guard let setting = self[key] else { return nil }
        switch setting.value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw SQLError("option '\(key)' must be true or false, found '\(setting.value)'", at: setting.valuePosition)
        }
    }

    /// Refuses `key` unless `applies`; `condition` says when it does.
    func onlyWhen(_ applies: Bool, _ key: String, condition: String) throws(SQLError) {
        guard !applies, let setting = self[key] else { return }
        throw SQLError("option '\(key)' applies only when \(condition)", at: setting.keyPosition)
    }
}

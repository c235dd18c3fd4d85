/// One header field of a request: the name lowercased, the value with surrounding blanks trimmed.
public struct HTTPHeaderField: Sendable, Equatable {
    /// The field name in lowercase ASCII.
    public let name: String
    /// The field value; bytes that are not UTF-8 appear as U+FFFD.
    public let value: String
}

/// A request's header fields in the order they arrived; names compare case-insensitively.
public struct HTTPHeaders: Sendable, Equatable {
    /// Every field in arrival order.
    public let fields: [HTTPHeaderField]

    /// Headers holding `fields`.
    public init(_ fields: [HTTPHeaderField]) { self.fields = fields }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name == wanted }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name == wanted }.map(\.value)
    }

    /// The comma-separated tokens of every `name` field, lowercased and trimmed (e.g. Connection).
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { value in
            value.split(separator: ",").map { $0.trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

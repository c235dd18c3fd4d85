/// A named, typed column of a schema.
public struct Field: Sendable, Hashable, CustomStringConvertible {
    /// The column's name as the user wrote it (matching is case-insensitive, as in Spark).
    public var name: String
    /// The column's type.
    public var type: DataType
    /// False when the column can never hold NULL.
    public var nullable: Bool

    /// A field; columns are nullable unless stated otherwise.
    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// `name TYPE`, as in a CREATE STREAM column list.
    public var description: String { "\(name) \(type)" }
}

/// The columns of a batch, in order.
public struct Schema: Sendable, Hashable {
    /// The fields, one per column.
    public var fields: [Field]

    /// A schema of `fields`.
    public init(_ fields: [Field]) { self.fields = fields }

    /// Number of columns.
    public var count: Int { fields.count }

    /// The index of the column called `name`, compared case-insensitively; nil if absent.
    public func index(of name: String) -> Int? {
        let wanted = name.lowercased()
        return fields.firstIndex { $0.name.lowercased() == wanted }
    }

    /// The column names, for "columns that exist" in error messages.
    public var names: [String] { fields.map(\.name) }
}

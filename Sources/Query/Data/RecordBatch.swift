/// Rows in columnar form: one `Column` per schema field, all of the same length.
public struct RecordBatch: Sendable, Equatable {
    /// The columns' names and types.
    public var schema: Schema
    /// One column per field of `schema`.
    public var columns: [Column]

    /// A batch of `columns`; they must match `schema` in number, type and length.
    public init(schema: Schema, columns: [Column]) {
        precondition(schema.count == columns.count, "a batch needs one column per field")
        for (field, column) in zip(schema.fields, columns) {
            precondition(field.type == column.type, "column \(field.name) is \(column.type), not \(field.type)")
        }
        precondition(Set(columns.map(\.count)).count <= 1, "the columns of a batch differ in length")
        self.schema = schema
        self.columns = columns
    }

    /// An empty batch of `schema`.
    public init(empty schema: Schema) {
        self.init(schema: schema, columns: schema.fields.map { Column($0.type) })
    }

    /// Number of rows.
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Row `index` boxed, one value per column (for tests and output, not hot paths).
    public func row(_ index: Int) -> [Value] { columns.map { $0.value(at: index) } }

    /// Every row boxed (for tests).
    public var rows: [[Value]] { (0..<rowCount).map(row) }
}

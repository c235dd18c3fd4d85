extension Parser {
    /// `statement (; statement)*`, empty statements allowed.
    mutating func parseScript() throws(SQLError) -> Script {
        var statements: [Statement] = []
        while true {
            while accept(.semicolon) {}
            if current.kind == .end { break }
            statements.append(try parseStatement())
            if current.kind == .end { break }
            guard accept(.semicolon) else { throw unexpectedAfterStatement() }
        }
        return Script(statements: statements, end: current.position)
    }

    mutating func parseStatement() throws(SQLError) -> Statement {
        let start = current.position
        if accept(keyword: "create") {
            if accept(keyword: "stream") { return .createStream(try parseCreateStream(at: start)) }
            if accept(keyword: "sink") { return .createSink(try parseCreateSink(at: start)) }
            throw expected("STREAM or SINK", "after CREATE")
        }
        if accept(keyword: "insert") {
            try expect(keyword: "into", "after INSERT")
            let sink = try parseIdentifier("a sink name", "after INSERT INTO")
            guard current.isKeyword("select") else { throw expected("SELECT", "after INSERT INTO \(sink.text)") }
            return .insert(Insert(sink: sink, query: try parseSelect(), position: start))
        }
        throw expected("CREATE STREAM, CREATE SINK or INSERT INTO", "at the start of a statement")
    }

    private func unexpectedAfterStatement() -> SQLError {
        let notSupported: [String: String] = [
            "order": "ORDER BY is not supported in a streaming query",
            "limit": "LIMIT is not supported in a streaming query",
            "join": "JOIN is not supported: a job reads exactly one stream",
            "union": "UNION is not supported: a job reads exactly one stream",
        ]
        if current.kind == .word, let message = notSupported[current.text.lowercased()] {
            return SQLError(message, at: current.position)
        }
        if current.isKeyword("create") || current.isKeyword("insert"), index > 0 {
            // The next statement began without a ';': point where the ';' belongs, as compilers do.
            return SQLError(
                "expected ';' after the statement, before the \(current.text) that starts the next one",
                at: tokens[index - 1].end)
        }
        return expected("';' or end of input", "after the statement")
    }

    /// After `CREATE STREAM`: `name (col TYPE, ...) [WITH (options)]`.
    private mutating func parseCreateStream(at start: SourcePosition) throws(SQLError) -> CreateStream {
        let name = try parseIdentifier("a stream name", "after CREATE STREAM")
        try expect(.leftParen, "after the stream name (the column list)")
        var columns: [ColumnDefinition] = []
        repeat {
            let column = try parseIdentifier("a column name", "in the column list")
            guard current.kind == .word else { throw expected("a column type", "after column '\(column.text)'") }
            columns.append(ColumnDefinition(name: column, type: try parseType()))
            if current.isSymbol(.rightParen) { break }
            guard accept(.comma) else { throw expected("')' or ','", "after column definition") }
        } while true
        try expect(.rightParen)
        var options: [OptionSetting] = []
        if accept(keyword: "with") { options = try parseOptions() }
        return CreateStream(name: name, columns: columns, options: options, position: start)
    }

    /// After `CREATE SINK`: `name WITH (options)`.
    private mutating func parseCreateSink(at start: SourcePosition) throws(SQLError) -> CreateSink {
        let name = try parseIdentifier("a sink name", "after CREATE SINK")
        try expect(keyword: "with", "after the sink name (the sink's options)")
        return CreateSink(name: name, options: try parseOptions(), position: start)
    }

    /// `(key = value, ...)`; values are strings, numbers, TRUE/FALSE or bare words.
    private mutating func parseOptions() throws(SQLError) -> [OptionSetting] {
        try expect(.leftParen, "after WITH")
        var options: [OptionSetting] = []
        repeat {
            let keyToken = current
            guard keyToken.kind == .word || keyToken.kind == .string || keyToken.kind == .quotedIdentifier else {
                throw expected("an option name", "in the WITH list")
            }
            index += 1
            try expect(.equal, "after option '\(keyToken.value)'")
            let valueToken = current
            switch valueToken.kind {
            case .string, .integer, .decimal, .word, .quotedIdentifier: index += 1
            default: throw expected("an option value", "after '\(keyToken.value) ='")
            }
            options.append(
                OptionSetting(
                    key: keyToken.value.lowercased(), keyPosition: keyToken.position, value: valueToken.value,
                    valuePosition: valueToken.position))
            if current.isSymbol(.rightParen) { break }
            guard accept(.comma) else { throw expected("')' or ','", "after option '\(keyToken.value)'") }
        } while true
        try expect(.rightParen)
        return options
    }

    /// A column or CAST type; `VARCHAR(n)` is accepted and stored as STRING.
    mutating func parseType() throws(SQLError) -> DataType {
        let token = current
        guard token.kind == .word, let type = TypeNames.type(named: token.text) else {
            throw SQLError("unknown type \(token.quoted); valid types: \(TypeNames.validList)", at: token.position)
        }
        index += 1
        if token.text.lowercased() == "varchar", accept(.leftParen) {
            guard current.kind == .integer else { throw expected("a length", "in VARCHAR(...)") }
            index += 1
            try expect(.rightParen, "after the VARCHAR length")
        }
        return type
    }
}

/// The SQL type names and the types they store as.
enum TypeNames {
    static let names: [(name: String, type: DataType)] = [
        ("BOOLEAN", .bool), ("INT", .int64), ("INTEGER", .int64), ("SMALLINT", .int64), ("BIGINT", .int64),
        ("DOUBLE", .double), ("FLOAT", .double), ("STRING", .string), ("VARCHAR", .string),
        ("TIMESTAMP", .timestamp),
    ]

    static func type(named name: String) -> DataType? {
        let upper = name.uppercased()
        return names.first { $0.name == upper }?.type
    }

    static var validList: String { names.map(\.name).joined(separator: ", ") }
}

/// A recursive-descent parser from tokens to a `Script`. Every error names what was expected
/// and what was found, at the found token's position.
struct Parser {
    /// Parenthesised or argument nesting beyond this is refused, so hostile input cannot exhaust
    /// the stack of the recursive descent.
    static let nestingMax = 64
    /// Expression trees taller than this are refused, so no recursion over a tree can overflow.
    static let expressionHeightMax = 256

    /// Words that cannot be identifiers unless backquoted (a subset of Spark's reserved words).
    static let reservedWords: Set<String> = [
        "all", "and", "as", "between", "by", "case", "cast", "create", "distinct", "else", "end", "false", "from",
        "group", "having", "in", "insert", "into", "is", "join", "like", "limit", "not", "null", "on", "or",
        "order", "select", "then", "true", "union", "when", "where", "with",
    ]

    var tokens: [Token]
    var index = 0
    var nesting = 0

    init(tokens: [Token]) {
        precondition(tokens.last?.kind == .end, "the lexer ends every token list with .end")
        self.tokens = tokens
    }

    /// Parses a whole script.
    static func parse(_ text: String) throws(SQLError) -> Script {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        return try parser.parseScript()
    }

    var current: Token { tokens[index] }

    /// The token `ahead` places on (negative: back), clamped to the list.
    func peek(_ ahead: Int) -> Token { tokens[max(0, min(index + ahead, tokens.count - 1))] }

    mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    /// Consumes the keyword if it is next.
    mutating func accept(keyword: String) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        index += 1
        return true
    }

    /// Consumes the symbol if it is next.
    mutating func accept(_ symbol: Symbol) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        index += 1
        return true
    }

    /// The error "expected `what` [context], found `current`".
    func expected(_ what: String, _ context: String = "") -> SQLError {
        let place = context.isEmpty ? "" : " \(context)"
        return SQLError("expected \(what)\(place), found \(current.quoted)", at: current.position)
    }

    mutating func expect(keyword: String, _ context: String = "") throws(SQLError) {
        guard accept(keyword: keyword) else { throw expected(keyword.uppercased(), context) }
    }

    mutating func expect(_ symbol: Symbol, _ context: String = "") throws(SQLError) {
        guard accept(symbol) else { throw expected("'\(symbol.rawValue)'", context) }
    }

    /// True when the current token can be an identifier.
    var atIdentifier: Bool {
        switch current.kind {
        case .quotedIdentifier: true
        case .word: !Self.reservedWords.contains(current.text.lowercased())
        default: false
        }
    }

    /// An identifier (an unreserved word or a backquoted name), described as `what` in errors.
    mutating func parseIdentifier(_ what: String, _ context: String = "") throws(SQLError) -> Name {
        guard atIdentifier else {
            var error = expected(what, context)
            if current.kind == .word {
                error.message += " (a reserved word; write `\(current.text)` to use it as a name)"
            }
            throw error
        }
        let token = advance()
        return Name(text: token.value, position: token.position)
    }

    /// Builds a node, refusing trees too tall to walk recursively.
    func node(_ kind: ExprKind, at position: SourcePosition) throws(SQLError) -> Expr {
        let expr = Expr(kind, at: position)
        guard expr.height <= Self.expressionHeightMax else {
            throw SQLError(
                "expression is too complex (more than \(Self.expressionHeightMax) levels deep)", at: position)
        }
        return expr
    }

    /// Runs `body` one nesting level deeper, refusing input nested past `nestingMax`.
    mutating func nested<T>(_ body: (inout Parser) throws(SQLError) -> T) throws(SQLError) -> T {
        guard nesting < Self.nestingMax else {
            throw SQLError(
                "expression is nested too deeply (more than \(Self.nestingMax) levels)", at: current.position)
        }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }
}

/// Punctuation and operators of the SQL language.
enum Symbol: String, Sendable, Hashable, CaseIterable {
    case leftParen = "("
    case rightParen = ")"
    case comma = ","
    case semicolon = ";"
    case dot = "."
    case star = "*"
    case plus = "+"
    case minus = "-"
    case slash = "/"
    case percent = "%"
    case equal = "="
    case doubleEqual = "=="
    case lessGreater = "<>"
    case bangEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case concat = "||"
}

/// The kinds of token the lexer produces.
enum TokenKind: Sendable, Hashable {
    /// An unquoted word: an identifier or a keyword (the parser decides, case-insensitively).
    case word
    /// A backquoted identifier; `value` holds the name with doubled backquotes undone.
    case quotedIdentifier
    /// A string literal in single or double quotes; `value` holds its contents, escapes undone.
    case string
    /// Digits only; the parser converts them, so `-9223372036854775808` can still fit.
    case integer
    /// A number with a fraction or an exponent.
    case decimal
    /// Punctuation or an operator.
    case symbol(Symbol)
    /// The end of the text.
    case end
}

/// One token: its kind, its text as written, its value, and where it starts.
struct Token: Sendable, Hashable {
    var kind: TokenKind
    /// The source text of the token.
    var text: String
    /// The unescaped contents of strings and quoted identifiers; `text` otherwise.
    var value: String
    var position: SourcePosition
    /// Where the token ends (just past its last character).
    var end: SourcePosition

    /// True for an unquoted word equal to `keyword`, ignoring case.
    func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.lowercased() == keyword
    }

    /// True for the symbol `symbol`.
    func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }

    /// How an error message names this token: `'WITH'`, `string 'abc'`, `end of input`.
    var quoted: String {
        switch kind {
        case .end: "end of input"
        case .string: "string '\(value)'"
        case .integer, .decimal: "number \(text)"
        case .quotedIdentifier: "`\(value)`"
        case .word, .symbol: "'\(text)'"
        }
    }
}

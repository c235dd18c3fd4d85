/// Turns SQL text into tokens. Comments (`--` to the end of the line, `/* */`, which nest as in
/// Spark) and whitespace are skipped; the last token is always `.end`, placed right after the
/// last real token so that "expected ..." errors point inside the text.
struct Lexer {
    private let bytes: [UInt8]
    private var offset = 0
    private var position = SourcePosition.start
    private var lastTokenEnd = SourcePosition.start

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Every token of `text`, ending with `.end`.
    static func tokenize(_ text: String) throws(SQLError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The next token.
    mutating func next() throws(SQLError) -> Token {
        try skipTrivia()
        guard offset < bytes.count else {
            return Token(kind: .end, text: "", value: "", position: lastTokenEnd, end: lastTokenEnd)
        }
        let start = offset
        let startPosition = position
        let byte = bytes[offset]
        let kind: TokenKind
        var value: String?
        if Self.isWordStart(byte) {
            while offset < bytes.count && Self.isWordByte(bytes[offset]) { advance() }
            kind = .word
        } else if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
            kind = try lexNumber(startPosition)
        } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
            value = try lexQuoted(byte, startPosition, what: "string literal")
            kind = .string
        } else if byte == UInt8(ascii: "`") {
            value = try lexQuoted(byte, startPosition, what: "quoted identifier")
            guard value != "" else { throw SQLError("empty quoted identifier ``", at: startPosition) }
            kind = .quotedIdentifier
        } else if let symbol = lexSymbol() {
            kind = .symbol(symbol)
        } else {
            throw SQLError("unexpected character \(describeCharacter(at: start)) in SQL", at: startPosition)
        }
        lastTokenEnd = position
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        return Token(kind: kind, text: text, value: value ?? text, position: startPosition, end: position)
    }

    private func peek(_ ahead: Int) -> UInt8 {
        offset + ahead < bytes.count ? bytes[offset + ahead] : 0
    }

    /// Moves past one byte, keeping line and (character) column.
    private mutating func advance() {
        let byte = bytes[offset]
        offset += 1
        if byte == UInt8(ascii: "\n") {
            position.line += 1
            position.column = 1
        } else if byte & 0xC0 != 0x80 {
            // A UTF-8 continuation byte does not start a new character.
            position.column += 1
        }
    }

    private mutating func skipTrivia() throws(SQLError) {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                advance()
            } else if byte == UInt8(ascii: "-") && peek(1) == UInt8(ascii: "-") {
                while offset < bytes.count && bytes[offset] != UInt8(ascii: "\n") { advance() }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                try skipBlockComment()
            } else {
                return
            }
        }
    }

    private mutating func skipBlockComment() throws(SQLError) {
        let start = position
        var depth = 0
        repeat {
            guard offset < bytes.count else {
                throw SQLError("unterminated comment: '/*' has no matching '*/'", at: start)
            }
            if bytes[offset] == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                depth += 1
                advance()
            } else if bytes[offset] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") {
                depth -= 1
                advance()
            }
            advance()
        } while depth > 0
    }

    /// Digits with an optional fraction and exponent; a number running into letters, digits or
    /// another dot (`12abc`, `1.2.3`, `1e`) is one bad number, not two tokens.
    private mutating func lexNumber(_ start: SourcePosition) throws(SQLError) -> TokenKind {
        let first = offset
        var isDecimal = false
        while Self.isDigit(peek(0)) { advance() }
        if peek(0) == UInt8(ascii: ".") {
            isDecimal = true
            advance()
            while Self.isDigit(peek(0)) { advance() }
        }
        var wellFormed = true
        if peek(0) == UInt8(ascii: "e") || peek(0) == UInt8(ascii: "E") {
            isDecimal = true
            advance()
            if peek(0) == UInt8(ascii: "+") || peek(0) == UInt8(ascii: "-") { advance() }
            wellFormed = Self.isDigit(peek(0))
            while Self.isDigit(peek(0)) { advance() }
        }
        if !wellFormed || Self.isWordByte(peek(0)) || peek(0) == UInt8(ascii: ".") {
            while Self.isWordByte(peek(0)) || peek(0) == UInt8(ascii: ".") { advance() }
            let text = String(decoding: bytes[first..<offset], as: UTF8.self)
            throw SQLError("bad number '\(text)'", at: start)
        }
        return isDecimal ? .decimal : .integer
    }

    /// The contents between `quote`s, a doubled quote standing for one.
    private mutating func lexQuoted(_ quote: UInt8, _ start: SourcePosition, what: String) throws(SQLError) -> String {
        advance()
        var contents: [UInt8] = []
        while true {
            guard offset < bytes.count else {
                let mark = String(UnicodeScalar(quote))
                throw SQLError("unterminated \(what): the \(mark) here is never closed", at: start)
            }
            let byte = bytes[offset]
            advance()
            if byte == quote {
                guard peek(0) == quote else { break }
                advance()
            }
            contents.append(byte)
        }
        return String(decoding: contents, as: UTF8.self)
    }

    private mutating func lexSymbol() -> Symbol? {
        let two = String(decoding: [bytes[offset], peek(1)], as: UTF8.self)
        if let symbol = Symbol(rawValue: two), two.utf8.count == 2 {
            advance()
            advance()
            return symbol
        }
        guard let symbol = Symbol(rawValue: String(UnicodeScalar(bytes[offset]))) else { return nil }
        advance()
        return symbol
    }

    private func describeCharacter(at index: Int) -> String {
        var end = index + 1
        while end < bytes.count && end - index < 4 && bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        let code = text.unicodeScalars.first.map { "U+" + String($0.value, radix: 16, uppercase: true) } ?? "?"
        return bytes[index] < 0x20 ? "(\(code))" : "'\(text)' (\(code))"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    private static func isWordByte(_ byte: UInt8) -> Bool { isWordStart(byte) || isDigit(byte) }
}

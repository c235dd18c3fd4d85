import Testing

@testable import Query

@Suite struct SQLLexerTests {
    private func kinds(_ text: String) throws -> [TokenKind] {
        try Lexer.tokenize(text).map(\.kind)
    }

    private func lexError(_ text: String) -> SQLError? {
        do {
            let tokens = try Lexer.tokenize(text)
            Issue.record("expected a lexer error, got \(tokens.map(\.text))")
            return nil
        } catch {
            return error
        }
    }

    @Test func wordsKeepTheirTextAndCase() throws {
        let tokens = try Lexer.tokenize("SELECT user_id _x a1")
        #expect(tokens.map(\.kind) == [.word, .word, .word, .word, .end])
        #expect(tokens.map(\.text) == ["SELECT", "user_id", "_x", "a1", ""])
        #expect(tokens[0].isKeyword("select"))
        #expect(!tokens[1].isKeyword("select"))
    }

    @Test func quotedIdentifiersUndoDoubledBackquotes() throws {
        let tokens = try Lexer.tokenize("`select` `a``b`")
        #expect(tokens.map(\.kind) == [.quotedIdentifier, .quotedIdentifier, .end])
        #expect(tokens[0].value == "select")
        #expect(tokens[1].value == "a`b")
        #expect(!tokens[0].isKeyword("select"))
    }

    @Test func stringsInEitherQuoteUndoDoubledQuotes() throws {
        let tokens = try Lexer.tokenize("'it''s' \"say \"\"hi\"\"\" '' 'a\nb' 'héllo'")
        #expect(tokens.map(\.kind) == [.string, .string, .string, .string, .string, .end])
        #expect(tokens.map(\.value).dropLast() == ["it's", "say \"hi\"", "", "a\nb", "héllo"])
        #expect(tokens[0].text == "'it''s'")
    }

    @Test func backslashIsAnOrdinaryCharacterInStrings() throws {
        let tokens = try Lexer.tokenize(#"'\d+' '\'"#)
        #expect(tokens.map(\.value).dropLast() == [#"\d+"#, #"\"#])
    }

    @Test func numbers() throws {
        let tokens = try Lexer.tokenize("0 42 9223372036854775808 1.5 .5 3. 1e3 2.5E-2 7e+1")
        #expect(tokens.map(\.kind) == [.integer, .integer, .integer] + Array(repeating: .decimal, count: 6) + [.end])
        #expect(
            tokens.map(\.text).dropLast() == [
                "0", "42", "9223372036854775808", "1.5", ".5", "3.", "1e3", "2.5E-2", "7e+1",
            ])
    }

    @Test func everySymbol() throws {
        let text = Symbol.allCases.map(\.rawValue).joined(separator: " ")
        #expect(try kinds(text) == Symbol.allCases.map { .symbol($0) } + [.end])
    }

    @Test func symbolsWithoutSpacesTakeTheLongestMatch() throws {
        #expect(
            try kinds("a<=b<>c!=d>=e==f||g")
                == [
                    .word, .symbol(.lessOrEqual), .word, .symbol(.lessGreater), .word, .symbol(.bangEqual), .word,
                    .symbol(.greaterOrEqual), .word, .symbol(.doubleEqual), .word, .symbol(.concat), .word, .end,
                ])
        #expect(
            try kinds("a.b,(*)") == [
                .word, .symbol(.dot), .word, .symbol(.comma), .symbol(.leftParen), .symbol(.star), .symbol(.rightParen),
                .end,
            ])
        #expect(try kinds("1-2") == [.integer, .symbol(.minus), .integer, .end])
    }

    @Test func commentsAndWhitespaceAreSkipped() throws {
        let text = "a -- line comment\n/* block /* nested */ still */ b\t\r\n-- last"
        let tokens = try Lexer.tokenize(text)
        #expect(tokens.map(\.text) == ["a", "b", ""])
        // "/* block /* nested */ still */" is 30 characters, then a space.
        #expect(tokens[1].position == SourcePosition(line: 2, column: 32))
    }

    @Test func positionsAreLineAndCharacterColumn() throws {
        let tokens = try Lexer.tokenize("SELECT 'é' ,\n  x")
        #expect(
            tokens.map(\.position) == [
                SourcePosition(line: 1, column: 1), SourcePosition(line: 1, column: 8),
                SourcePosition(line: 1, column: 12),
                SourcePosition(line: 2, column: 3), SourcePosition(line: 2, column: 4),
            ])
    }

    @Test func endTokenSitsRightAfterTheLastToken() throws {
        let tokens = try Lexer.tokenize("SELECT x\n\n  -- trailing comment\n")
        #expect(tokens.last?.kind == .end)
        #expect(tokens.last?.position == SourcePosition(line: 1, column: 9))
        #expect(try Lexer.tokenize("").last?.position == SourcePosition(line: 1, column: 1))
        #expect(try Lexer.tokenize("   -- only a comment").last?.position == SourcePosition(line: 1, column: 1))
    }

    @Test func unterminatedStringIsReportedAtItsQuote() {
        let error = lexError("SELECT x,\n  'abc")
        #expect(error?.line == 2 && error?.column == 3)
        #expect(error?.message.contains("unterminated string literal") == true)
        let double = lexError("\"abc")
        #expect(double?.line == 1 && double?.column == 1)
        let doubledAtEnd = lexError("'it''")
        #expect(doubledAtEnd?.message.contains("unterminated string literal") == true)
    }

    @Test func unterminatedCommentIsReportedAtItsStart() {
        let error = lexError("a /* one /* two */ still open")
        #expect(error?.line == 1 && error?.column == 3)
        #expect(error?.message.contains("unterminated comment") == true)
    }

    @Test func unterminatedOrEmptyQuotedIdentifier() {
        let open = lexError("x `abc")
        #expect(open?.column == 3)
        #expect(open?.message.contains("unterminated quoted identifier") == true)
        let empty = lexError("x ``")
        #expect(empty?.column == 3)
        #expect(empty?.message.contains("empty quoted identifier") == true)
    }

    @Test(arguments: ["12abc", "1.2.3", "1e", "1e+", "3.x", "0x1F", "1_000"])
    func badNumbers(_ number: String) {
        let error = lexError("SELECT \(number) FROM s")
        #expect(error?.line == 1 && error?.column == 8)
        #expect(error?.message == "bad number '\(number)'")
    }

    @Test(arguments: ["@", "#", "$", "!", "|", "&", "^", "~", "?", "[", "]", "{", "}", ":", "é", "\u{7}", "\\"])
    func strayCharacters(_ character: String) {
        let error = lexError("a\n  \(character) b")
        #expect(error?.line == 2 && error?.column == 3)
        #expect(error?.message.hasPrefix("unexpected character") == true)
    }

    @Test func strayCharacterMessageNamesItAndItsCodePoint() {
        #expect(lexError("a @")?.message == "unexpected character '@' (U+40) in SQL")
        #expect(lexError("a é")?.message == "unexpected character 'é' (U+E9) in SQL")
        #expect(lexError("a \u{1}")?.message == "unexpected character (U+1) in SQL")
    }
}

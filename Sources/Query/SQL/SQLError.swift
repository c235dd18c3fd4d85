/// A compile error in a job's SQL: where it is and what is wrong, rendered like a compiler's
/// diagnostic (`file:line:column: error: message`, the source line, a caret under the column).
public struct SQLError: Error, CustomStringConvertible, Sendable, Hashable {
    /// 1-based line of the offending token.
    public var line: Int
    /// 1-based column (in characters) of the offending token.
    public var column: Int
    /// What is wrong, and what would be right.
    public var message: String
    /// The file name shown in the rendering; nil renders `line:column:` alone.
    public var fileName: String?
    /// The text of line `line`, for the caret rendering; empty when unknown.
    public var sourceLine: String

    /// An error at `line:column`.
    public init(line: Int, column: Int, message: String, fileName: String? = nil, sourceLine: String = "") {
        self.line = line
        self.column = column
        self.message = message
        self.fileName = fileName
        self.sourceLine = sourceLine
    }

    /// `file:line:column: error: message`, then the source line and a caret under the column.
    public var description: String {
        let place = fileName.map { "\($0):\(line):\(column)" } ?? "\(line):\(column)"
        var text = "\(place): error: \(message)"
        guard !sourceLine.isEmpty else { return text }
        // Keep tabs in the caret's indent so the caret lines up under tab-indented source.
        // Columns count Unicode scalars, as the lexer does.
        let indent = String(sourceLine.unicodeScalars.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
        text += "\n\(sourceLine)\n\(indent)^"
        return text
    }
}

/// Where a token starts in the SQL text.
struct SourcePosition: Sendable, Hashable {
    /// 1-based line.
    var line: Int
    /// 1-based column, in characters.
    var column: Int

    static let start = SourcePosition(line: 1, column: 1)
}

extension SQLError {
    /// An error at `position`; the compiler fills in the file name and the source line.
    init(_ message: String, at position: SourcePosition) {
        self.init(line: position.line, column: position.column, message: message)
    }

    /// This error with the file name and source line filled in from `text`.
    func located(in text: String, fileName: String?) -> SQLError {
        var copy = self
        copy.fileName = fileName
        // Split on the newline byte: a String splits "\r\n" as one Character, not at its "\n".
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return copy }
        var bytes = lines[line - 1]
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        copy.sourceLine = String(decoding: bytes, as: UTF8.self)
        return copy
    }
}

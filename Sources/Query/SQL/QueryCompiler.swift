/// Compiles a job's SQL script (CREATE STREAM, CREATE SINK, one INSERT INTO ... SELECT) into a
/// `JobPlan`. Pure and deterministic: the same text gives the same plan in every process.
public enum QueryCompiler {
    /// Scripts larger than this are refused before lexing; real jobs are a few kilobytes.
    public static let scriptBytesMax = 1 << 20

    /// The plan of `sql`, or the first error in it.
    public static func compile(_ sql: String) throws(SQLError) -> JobPlan {
        try compile(sql, fileName: nil)
    }

    /// The plan of `sql`; errors render as `fileName:line:column: error: ...` with the source line.
    public static func compile(_ sql: String, fileName: String?) throws(SQLError) -> JobPlan {
        guard sql.utf8.count <= scriptBytesMax else {
            throw SQLError(
                line: 1, column: 1,
                message: "the script is \(sql.utf8.count) bytes; at most \(scriptBytesMax) are accepted",
                fileName: fileName)
        }
        do {
            return try ScriptAnalyzer.analyze(try Parser.parse(sql))
        } catch {
            throw error.located(in: sql, fileName: fileName)
        }
    }
}

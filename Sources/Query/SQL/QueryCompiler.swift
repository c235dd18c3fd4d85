/// Compiles a job's SQL script (CREATE STREAM, CREATE SINK, one INSERT INTO ... SELECT) into a
/// `JobPlan`. Pure and deterministic: the same text gives the same plan in every process.
public enum QueryCompiler {
    /// The plan of `sql`, or the first error in it.
    public static func compile(_ sql: String) throws(SQLError) -> JobPlan {
        try compile(sql, fileName: nil)
    }

    /// The plan of `sql`; errors render as `fileName:line:column: error: ...` with the source line.
    public static func compile(_ sql: String, fileName: String?) throws(SQLError) -> JobPlan {
        do {
            return try ScriptAnalyzer.analyze(try Parser.parse(sql))
        } catch {
            throw error.located(in: sql, fileName: fileName)
        }
    }
}

import Testing

@testable import Query

/// The largest inputs the limits accept still compile, in stateless and grouped queries alike.
@Suite struct SQLLimitTests {
    @Test func deepestAcceptedNestingCompiles() throws {
        let depth = Parser.nestingMax - 1
        let nested = String(repeating: "lower(", count: depth) + "url" + String(repeating: ")", count: depth)
        let plan = try SQLFixture.plan("SELECT \(nested) AS u FROM clicks")
        #expect(plan.outputSchema.names == ["u"])
        let grouped = try SQLFixture.plan("SELECT \(nested) AS u, count(*) FROM clicks GROUP BY url")
        #expect(grouped.outputSchema.names == ["u", "count(1)"])
    }

    @Test func tallestAcceptedTreeCompiles() throws {
        let terms = Parser.expressionHeightMax - 2
        let chain = Array(repeating: "bytes", count: terms).joined(separator: " + ")
        let plan = try SQLFixture.plan("SELECT \(chain) AS total, count(*) FROM clicks GROUP BY bytes, status")
        #expect(plan.outputSchema.fields.map(\.type) == [.int64, .int64])
        let tooTall = Array(repeating: "bytes", count: Parser.expressionHeightMax + 2).joined(separator: " + ")
        #expect(throws: SQLError.self) { try SQLFixture.plan("SELECT \(tooTall) FROM clicks") }
    }
}

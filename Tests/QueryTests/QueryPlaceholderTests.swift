import Testing

@testable import Query

@Test func moduleIsLinked() {
    #expect(QueryModule.name == "Query")
}

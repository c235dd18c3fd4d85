import Testing

@testable import Executor

@Test func moduleIsLinked() {
    #expect(ExecutorModule.name == "Executor")
}

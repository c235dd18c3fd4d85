import Testing

@testable import Scheduler

@Test func moduleIsLinked() {
    #expect(SchedulerModule.name == "Scheduler")
}

import Testing

@testable import Driver

@Test func moduleIsLinked() {
    #expect(DriverModule.name == "Driver")
}

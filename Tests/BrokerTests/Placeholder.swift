import Testing

@testable import Broker

@Test func brokerLinked() { #expect(BrokerModule.name == "Broker") }

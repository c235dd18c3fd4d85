import Testing

@testable import Executor

/// When an executor reads ahead: by default only when its slots leave a core free.
@Suite struct ReadAheadPolicyTests {
    @Test func autoReadsAheadOnlyWithACoreFree() {
        #expect(ReadAheadPolicy.auto.readsAhead(slots: 1, cores: 2))
        #expect(!ReadAheadPolicy.auto.readsAhead(slots: 2, cores: 2))
        #expect(!ReadAheadPolicy.auto.readsAhead(slots: 4, cores: 2))
        #expect(!ReadAheadPolicy.auto.readsAhead(slots: 1, cores: 1))
    }

    @Test func onAndOffIgnoreTheCores() {
        for (slots, cores) in [(1, 1), (1, 8), (8, 1)] {
            #expect(ReadAheadPolicy.on.readsAhead(slots: slots, cores: cores))
            #expect(!ReadAheadPolicy.off.readsAhead(slots: slots, cores: cores))
        }
    }

    @Test func theDefaultIsAuto() {
        #expect(ExecutorConfig(driverAddress: "127.0.0.1:1", slots: 2).readAhead == .auto)
    }
}

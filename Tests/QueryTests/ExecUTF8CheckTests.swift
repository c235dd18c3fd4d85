import Testing

@testable import Query

@Suite struct ExecUTF8CheckTests {
    /// Whether the standard library accepts `bytes` as UTF-8: the independent expectation.
    static func expected(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { String(validating: $0, as: UTF8.self) != nil }
    }

    @Test func agreesWithTheStandardLibraryWhereverTheOddByteSits() {
        // Every length up to three words, with a non-ASCII lead, continuation, whole character or
        // stray byte at every position: the word-at-a-time ASCII test must not miss any of them.
        let insertions: [[UInt8]] = [[0xC3], [0x80], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xFF], [0x7F]]
        for length in 0...24 {
            let ascii = [UInt8]((0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) })
            #expect(ascii.withUnsafeBytes { UTF8Check.isValid($0) })
            for position in 0...length {
                for insertion in insertions {
                    var bytes = ascii
                    bytes.insert(contentsOf: insertion, at: position)
                    #expect(bytes.withUnsafeBytes { UTF8Check.isValid($0) } == Self.expected(bytes))
                }
            }
        }
    }
}

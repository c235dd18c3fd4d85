import Foundation
import Testing

@testable import Wire

@Suite struct HTTPDateTests {
    /// Checked against Foundation's formatter over seeded random instants from 1900 to 2400.
    @Test func matchesFoundationsFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var rng = BytesTestRandom(seed: BytesTestRandom.seed(0xDA7E))
        let instants: [Int64] =
            [0, -1, 784_111_777, 951_782_400, 4_107_542_400]
            + (0..<2_000).map { _ in Int64.random(in: -2_208_988_800...13_569_465_600, using: &rng) }
        for seconds in instants {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(HTTPDate.format(secondsSince1970: seconds) == expected, "\(seconds)")
        }
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}

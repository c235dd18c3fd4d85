import Testing
import Wire

@testable import Broker

/// Pins the bytes of every sample at every codec version, so a layout change below the versions
/// the fixtures cover cannot slip through the (self-consistent) round-trip tests.
///
/// The pinned encodings were cross-checked against kafka-python 3.0.12's JSON-schema codec: it
/// decoded each one to the end with the expected field values and re-encoded it identically.
@Suite struct ProtocolGoldenTests {
    /// CRC-32C over `length ++ bytes` of each version's encoding, lowest version first.
    static let pinned: [ApiKey: (request: UInt32, response: UInt32)] = [
        .apiVersions: (0x7AED_49CC, 0x839C_8A74),
        .metadata: (0x563D_96FC, 0x248E_4B28),
        .produce: (0x2844_4EFA, 0x11FC_F4A2),
        .initProducerId: (0x59B9_AD66, 0x6C90_40A8),
        .fetch: (0xA1F3_79A9, 0x1300_AC94),
        .listOffsets: (0xEECC_4436, 0xDEB3_2A7E),
        .findCoordinator: (0x72A3_A6C2, 0xA1A3_DA4B),
        .joinGroup: (0xBC47_7C6B, 0xA26C_BA1F),
        .syncGroup: (0xD65A_8920, 0x7F09_C19F),
        .heartbeat: (0x2CCC_A304, 0x0AA2_A277),
        .leaveGroup: (0x4916_1A60, 0x48FD_7CED),
        .offsetCommit: (0xF353_7341, 0x84B5_B19C),
        .offsetFetch: (0xC1AE_6C52, 0x4AE5_8AFA),
        .createTopics: (0xD6B2_B055, 0x4802_E6D8),
    ]

    @Test(arguments: ApiKey.allCases)
    func sampleEncodingsMatchTheCrossCheckedBytes(key: ApiKey) throws {
        let pinned = try #require(Self.pinned[key])
        var requests = ByteWriter()
        var responses = ByteWriter()
        for version in key.codecVersions {
            let request = ProtocolSamples.request(key, version: version).message.encoded(version: version)
            requests.writeInteger(Int32(request.count))
            requests.writeBytes(request)
            let response = ProtocolSamples.response(key, version: version).message.encoded(version: version)
            responses.writeInteger(Int32(response.count))
            responses.writeBytes(response)
        }
        #expect(CRC32C.checksum(requests.bytes) == pinned.request, "\(key) request bytes changed")
        #expect(CRC32C.checksum(responses.bytes) == pinned.response, "\(key) response bytes changed")
    }
}

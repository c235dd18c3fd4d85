import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The first exchange on every connection: ApiVersions, at v2 and lower if the broker refuses it
/// (KAFKA-PROTOCOL.md §2), done before the reader thread starts.
enum ApiVersionsHandshake {
    static func run(
        _ socket: Socket, framer: inout ResponseFramer, node: BrokerNode, clientId: String, timeoutMs: Int
    ) throws(KafkaClientError) -> NegotiatedVersions {
        let deadlineNs = MonotonicClock.nanoseconds() + UInt64(timeoutMs) * 1_000_000
        var version = NegotiatedVersions.clientRange(.apiVersions).upperBound
        for attempt in Int32(1)...3 {
            let frame = KafkaFrame.request(
                ApiVersionsRequest(), version: version, correlationId: attempt, clientId: clientId)
            do throws(PosixError) { try socket.writeAll(frame) } catch {
                throw .unreachable(broker: node.address, reason: BrokerConnection.reason(error))
            }
            let reply = try receive(socket, &framer, node: node, deadlineNs: deadlineNs, timeoutMs: timeoutMs)
            let response: ApiVersionsResponse
            do throws(DecodeError) {
                let decoded = try KafkaFrame.decodeResponse(ApiVersionsResponse.self, frame: reply, version: version)
                guard decoded.correlationId == attempt else {
                    throw DecodeError.invalidValue("correlation id \(decoded.correlationId)", at: 0)
                }
                response = decoded.response
            } catch {
                throw .malformedResponse(.apiVersions, broker: node.address, reason: error.description)
            }
            if response.errorCode == .unsupportedVersion, version > 0 {
                let theirs = response.apiKeys.first { $0.apiKey == ApiKey.apiVersions.rawValue }?.maxVersion ?? 0
                version = max(0, min(version - 1, theirs))
                continue
            }
            guard !response.errorCode.isError else { throw .broker(response.errorCode, context: "ApiVersions") }
            return NegotiatedVersions(broker: response.apiKeys)
        }
        throw .unsupportedApi(.apiVersions, broker: node.address)
    }

    private static func receive(
        _ socket: Socket, _ framer: inout ResponseFramer, node: BrokerNode, deadlineNs: UInt64, timeoutMs: Int
    ) throws(KafkaClientError) -> [UInt8] {
        while true {
            do throws(FramingError) {
                if let frame = try framer.next() { return frame }
            } catch {
                throw .malformedResponse(.apiVersions, broker: node.address, reason: "bad response size")
            }
            let nowNs = MonotonicClock.nanoseconds()
            guard nowNs < deadlineNs else { throw .timedOut(.apiVersions, broker: node.address, afterMs: timeoutMs) }
            do throws(PosixError) {
                let waitMs = Int((deadlineNs - nowNs) / 1_000_000) + 1
                guard try socket.poll(events: Int16(POLLIN), timeoutMs: waitMs) else { continue }
                if try framer.read(from: socket) == 0 {
                    throw PosixError(call: "read", errno: ECONNRESET)
                }
            } catch {
                throw .unreachable(
                    broker: node.address, reason: "the connection closed during the ApiVersions handshake")
            }
        }
    }
}

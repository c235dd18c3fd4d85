import Foundation
import Testing
import Wire

@testable import Broker

#if canImport(Glibc)
    import Glibc
#endif

/// A `spate broker` child process, started from the binary `swift build` put beside the tests.
final class BrokerProcess {
    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    /// The address from the "listening on HOST:PORT" line.
    private(set) var address: SocketAddress?

    /// The `spate` executable next to the test bundle.
    static func executable() throws -> URL {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDirectory, bundleDirectory.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("spate")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw ServerTestFailure("no spate executable beside \(bundleDirectory.path); run swift build --build-tests")
    }

    /// Starts `spate broker` with `arguments` and waits (30 s at most) for its listening line.
    init(_ arguments: [String]) throws {
        process.executableURL = try Self.executable()
        process.arguments = ["broker"] + arguments
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let line = try readLine(output.fileHandleForReading.fileDescriptor, timeoutMs: 30_000)
        guard let range = line.range(of: "listening on "), let end = line.range(of: " (data: ") else {
            throw ServerTestFailure("unexpected first line: \(line)")
        }
        address = try SocketAddress(parsing: String(line[range.upperBound..<end.lowerBound]))
    }

    /// Sends `signal` and waits for the process to exit; returns its termination status.
    func stop(with signal: Int32) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { _ = stop(with: SIGKILL) }
    }

    private func readLine(_ fd: Int32, timeoutMs: Int) throws -> String {
        var bytes: [UInt8] = []
        let deadline = MonotonicClock.milliseconds() + UInt64(timeoutMs)
        var byte: UInt8 = 0
        while MonotonicClock.milliseconds() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            guard Glibc.read(fd, &byte, 1) == 1 else { break }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        throw ServerTestFailure(
            "no listening line within \(timeoutMs) ms; got \(String(decoding: bytes, as: UTF8.self))")
    }
}

/// The real binary, as conformance test (4) uses it: `kill -9` loses no acknowledged record and the
/// restarted broker still recognises a retried idempotent batch.
@Suite(.dedicatedThread) struct BrokerProcessTests {
    /// Connects a test client to a broker process.
    private func client(_ broker: BrokerProcess) throws -> TestKafkaClient {
        try TestKafkaClient(address: try #require(broker.address))
    }

    @Test func killNineThenRestartKeepsRecordsAndProducerState() throws {
        try withDataDirectory { directory in
            let arguments = ["--port", "0", "--data-dir", directory, "--fsync", "always", "--partitions", "1"]
            let batches = (0..<5).map {
                idempotentBatch(producerId: 3, sequence: Int32($0 * 3), count: 3, tag: UInt8($0))
            }
            let first = try BrokerProcess(arguments)
            let producerId: Int64
            do {
                let client = try client(first)
                producerId = try client.call(InitProducerIdRequest(transactionTimeoutMs: 0), version: 1).producerId
                for (number, batch) in batches.enumerated() {
                    #expect(try client.produce("durable", batch).baseOffset == Int64(number * 3))
                }
            }
            #expect(first.stop(with: SIGKILL) == SIGKILL)

            let second = try BrokerProcess(arguments)
            let client = try client(second)
            #expect(
                try client.fetch("durable", offset: 0).records?.array
                    == batches.enumerated().flatMap { stored($1, at: Int64($0 * 3)) })
            let retry = try client.produce("durable", batches[4])
            #expect(retry.errorCode == .noError)
            #expect(retry.baseOffset == 12, "the retry is answered from the rebuilt producer state")
            #expect(try client.listOffset("durable", timestamp: -1).offset == 15)
            #expect(try client.call(InitProducerIdRequest(transactionTimeoutMs: 0), version: 1).producerId > producerId)
            #expect(second.stop(with: SIGTERM) == 0, "SIGTERM stops the broker cleanly")
        }
    }

    @Test func badFlagsAreUsageErrors() throws {
        for arguments in [
            ["--fsync", "sometimes"], ["--port", "70000"], ["--partitions", "0"], ["--segment-bytes", "10"],
            ["--http-port", "70000"],
        ] {
            let process = Process()
            process.executableURL = try BrokerProcess.executable()
            process.arguments = ["broker"] + arguments
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 2, "\(arguments)")
        }
    }
}

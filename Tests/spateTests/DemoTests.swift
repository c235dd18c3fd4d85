import Driver
import Foundation
import Testing
import Wire

@testable import spate

/// The parts of `spate demo` that need no cluster: its flags, the lines it reads from its
/// children, the driver's status it parses, the sink files it follows and what it prints.
@Suite struct DemoTests {
    @Test func defaultsMatchTheQuickStart() throws {
        let arguments = try #require(parsed(["demo"], root: CommandTable.root))
        let options = try DemoOptions.from(arguments)
        #expect(
            options
                == DemoOptions(
                    durationSeconds: nil, ratePerSecond: 20_000, dataDirectory: nil, httpPort: 4040,
                    httpPortChosen: false, plain: false))
    }

    @Test func flagsReachTheOptions() throws {
        let words = ["demo", "--duration", "20", "--rate", "500", "--data-dir", "/d", "--http-port", "0", "--plain"]
        let options = try DemoOptions.from(try #require(parsed(words, root: CommandTable.root)))
        #expect(options.durationSeconds == 20)
        #expect(options.ratePerSecond == 500)
        #expect(options.dataDirectory == "/d")
        #expect(options.httpPort == 0)
        #expect(options.httpPortChosen)
        #expect(options.plain)
    }

    @Test(arguments: [
        (["--duration", "0"], "--duration must be above 0"),
        (["--rate", "0"], "--rate must be in 1..."),
        (["--http-port", "70000"], "--http-port must be in 0...65535"),
        (["--data-dir="], "--data-dir needs a directory name"),
    ])
    func badValuesAreUsageErrorsBeforeAnythingStarts(words: [String], message: String) async {
        let recorder = OutputRecorder()
        let code = await CommandRunner.run(
            arguments: ["demo"] + words, root: CommandTable.root, output: recorder.output)
        #expect(code == ExitCode.usage)
        #expect(recorder.standardError.hasPrefix("error: \(message)"), "\(recorder.standardError)")
    }

    @Test func readsTheListeningLinesOfItsChildren() throws {
        let broker = "spate broker listening on 127.0.0.1:40123 (data: /tmp/x/broker)\n"
        #expect(DemoReadiness.brokerAddress(in: broker) == "127.0.0.1:40123")
        let driver = "spate driver listening on 127.0.0.1:7001 (http 127.0.0.1:4041, checkpoint /tmp/c)\n"
        let addresses = try #require(DemoReadiness.driverAddresses(in: "note\n" + driver))
        #expect(addresses.rpc == "127.0.0.1:7001")
        #expect(addresses.http == "127.0.0.1:4041")
        let noHTTP = try #require(
            DemoReadiness.driverAddresses(in: "spate driver listening on h:1 (no http, checkpoint /c)\n"))
        #expect(noHTTP.rpc == "h:1" && noHTTP.http == nil)
        let executor = "spate executor serving shuffle blocks on 127.0.0.1:5555, driver 127.0.0.1:7001\n"
        #expect(DemoReadiness.executorAddress(in: executor) == "127.0.0.1:5555")
    }

    @Test func aHalfWrittenLineIsNotReadyYet() {
        #expect(DemoReadiness.brokerAddress(in: "spate broker listening on 127.0.0.1:40") == nil)
        #expect(DemoReadiness.brokerAddress(in: "") == nil)
        #expect(DemoReadiness.driverAddresses(in: "spate driver listening on 127.0.0.1:7001 (http") == nil)
    }

    /// The driver's own progress JSON inside a job object shaped like `spate status --json`.
    @Test func parsesTheDriversStatus() throws {
        let record = ProgressRecord(
            jobId: "pv_uv", batchId: 41, timestampMs: 1_700_000_000_000, numInputRows: 20_000,
            inputRowsPerSecond: 19_876.4, processedRowsPerSecond: 152_000.6,
            durations: BatchDurations(latestOffsetMs: 2, walCommitMs: 3, planningMs: 1, executionMs: 100, commitMs: 25),
            eventTime: EventTimeProgress(minMs: 0, maxMs: 10, watermarkMs: 5),
            stateOperator: nil,
            source: SourceProgress(
                topic: "website-logs",
                ranges: [SourceRange(partition: 0, start: 0, end: 100), SourceRange(partition: 1, start: 0, end: 50)],
                latest: [0: 130, 1: 57]),
            sink: SinkProgress(description: "file", rowsWritten: 1), deadLetters: 3)
        let job =
            #"{"id":"pv_uv","state":"running","failure":null,"watermark":"2026-11-30T06:50:05.000Z","#
            + #""deadLetters":9,"executors":[{"id":"e1"},{"id":"e2"}],"lastProgress":"#
            + String(decoding: record.json(), as: UTF8.self) + "}"
        let progress = try #require(DemoProgress.parse(Array(job.utf8)))
        #expect(progress.state == "running" && progress.failure == nil)
        #expect(progress.batchId == 41)
        #expect(progress.inputRowsPerSecond == 19_876.4)
        #expect(progress.processedRowsPerSecond == 152_000.6)
        #expect(progress.batchMs == 131)
        #expect(progress.watermark == "2026-11-30T06:50:05.000Z")
        #expect(progress.lag == 37)
        #expect(progress.deadLetters == 9)
        #expect(progress.executors == 2)
        #expect(
            DemoScreen.progressLine(progress, jobId: "pv_uv")
                == "batch 41 | in 19876 rows/s | processed 152001 rows/s | 131 ms | watermark 06:50:05 | lag 37")
    }

    @Test func progressLineBeforeTheFirstBatchAndAfterAFailure() {
        #expect(DemoScreen.progressLine(nil, jobId: "j") == "job j: waiting for the driver's status")
        let waiting = DemoProgress(state: "running", executors: 2)
        #expect(
            DemoScreen.progressLine(waiting, jobId: "j") == "job j running: waiting for the first batch (2 executors)")
        let failed = DemoProgress(state: "failed", failure: "task failed 4 times")
        #expect(DemoScreen.progressLine(failed, jobId: "j") == "job j failed: task failed 4 times")
        #expect(DemoProgress.parse(Array("[1, 2]".utf8)) == nil)
        #expect(DemoProgress.parse(Array("not json".utf8)) == nil)
    }

    @Test func windowTableShowsTheLastWindowsOldestFirst() {
        // 2026-11-30T06:50:00Z and the windows after it, 10 s apart.
        let base: Int64 = 1_796_021_400_000
        let windows = (0..<10).map {
            DemoWindow(startMs: base + Int64($0) * 10_000, pv: 1000 + Int64($0), uv: 50, ips: 7)
        }
        let table = DemoScreen.windowTable(windows, rowsMax: 2)
        #expect(
            table == [
                "window start (UTC)          pv      uv     ips",
                "2026-11-30 06:51:20        1008      50       7",
                "2026-11-30 06:51:30        1009      50       7",
            ])
        #expect(DemoScreen.windowTable([]) == [table[0], "(no window closed yet)"])
        #expect(DemoScreen.windowLine(windows[0]) == "window 2026-11-30 06:50:00 pv 1000 uv 50 ips 7")
    }

    @Test func frameRedrawsInPlace() {
        let frame = DemoScreen.frame(header: ["head"], clicks: nil, progress: "batch 1", windows: [])
        #expect(frame.hasPrefix("\u{1B}[H"))
        #expect(frame.hasSuffix("\u{1B}[J"))
        let lines = frame.dropFirst(3).dropLast(3).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropLast().allSatisfy { $0.hasSuffix("\u{1B}[K") })
        #expect(lines.contains { $0.hasPrefix("batch 1") })
        #expect(lines.contains { $0.hasPrefix("clicks: starting") })
    }

    /// Only batch files the manifest lists are read, each once, whatever order they were listed in.
    @Test func followsTheSinksManifest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spate-demo-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        var reader = DemoWindowReader(directory: directory)
        #expect(reader.refresh().isEmpty)
        let second = #"{"window_start":"2026-11-30T06:50:10.000Z","window_end":"x","pv":5,"uv":2,"ips":1}"#
        let first = #"{"window_start":"2026-11-30T06:50:00.000Z","window_end":"x","pv":9,"uv":3,"ips":2}"#
        try write("batch-4.jsonl", second + "\n")
        try write("batch-7.jsonl", #"{"window_start":"2026-11-30T06:50:20.000Z","pv":1}"# + "\n")
        try write("_spate_manifest", "spate-manifest v1\nbatch-4.jsonl\n")
        #expect(reader.refresh() == [DemoWindow(startMs: 1_796_021_410_000, pv: 5, uv: 2, ips: 1)])
        #expect(reader.refresh().isEmpty)
        try write("batch-5.jsonl", first + "\nnot json\n")
        try write("_spate_manifest", "spate-manifest v1\nbatch-4.jsonl\nbatch-5.jsonl\n")
        #expect(reader.refresh() == [DemoWindow(startMs: 1_796_021_400_000, pv: 9, uv: 3, ips: 2)])
        #expect(reader.windows.map(\.pv) == [9, 5])
        #expect(DemoWindowReader.batchFiles(inManifest: "something else\nbatch-1.jsonl\n").isEmpty)
    }

    @Test func builtInSQLIsTheExample() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = try String(contentsOfFile: root.path + "/" + DemoSQL.relativePath, encoding: .utf8)
        #expect(DemoSQL.builtIn == example)
        #expect(DemoSQL.load(currentDirectory: root.path).text == example)
        let elsewhere = DemoSQL.load(currentDirectory: "/nonexistent", executable: "/nonexistent/bin/spate")
        #expect(elsewhere.origin == "built in" && elsewhere.text == example)
    }

    @Test func aTakenPortIsSeenAsTaken() throws {
        let socket = try Socket.listen(on: try SocketAddress(parsing: "127.0.0.1:0"))
        defer { socket.close() }
        let port = try socket.localAddress().port
        #expect(!DemoCluster.portIsFree(Int(port)))
    }
}

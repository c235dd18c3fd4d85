import Driver
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the running demo: every second it asks the driver for the job's status, reads the
/// windows the sink committed, and shows both; it ends on the stop flag, at the deadline, or
/// when a process, the job or the click stream fails.
struct DemoMonitor {
    let options: DemoOptions
    let jobId: String
    let header: [String]
    let client: DriverClient
    let producer: DemoProducer
    let cluster: DemoCluster
    let stop: StopFlag
    var reader: DemoWindowReader?
    /// What the plain output printed last, so it prints only changes.
    private var lastProgressLine: String?
    private var lastProgress: DemoProgress?
    private let startedAt = ContinuousClock.now
    static let refreshMs = 1_000

    init(
        options: DemoOptions, jobId: String, header: [String], client: DriverClient, producer: DemoProducer,
        cluster: DemoCluster, stop: StopFlag, sinkDirectory: String?
    ) {
        self.options = options
        self.jobId = jobId
        self.header = header
        self.client = client
        self.producer = producer
        self.cluster = cluster
        self.stop = stop
        reader = sinkDirectory.map(DemoWindowReader.init)
    }

    /// Whether stdout is a terminal that understands ANSI cursor moves.
    static let isTerminal = isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    private var redraws: Bool { !options.plain && Self.isTerminal }

    /// Shows the demo until it ends; the exit code (1 when something failed).
    mutating func run() async -> Int32 {
        if redraws {
            print("\u{1B}[2J", terminator: "")
        } else {
            // The web page's line was printed as soon as the driver listened.
            for line in header where !line.contains("web page: ") { print(line) }
        }
        let deadline = options.durationSeconds.map { startedAt + .milliseconds(Int64($0 * 1000)) }
        while true {
            let ending = stop.isSet || deadline.map { ContinuousClock.now >= $0 } == true
            let progress = await status()
            show(progress)
            if let problem = problem(progress) {
                StandardStreams.writeError("spate demo: \(problem)\n")
                return ExitCode.failure
            }
            if ending { return ExitCode.success }
            await pause(until: deadline)
        }
    }

    /// The job's status from the driver; nil when it does not answer.
    private func status() async -> DemoProgress? {
        guard let json = try? await client.status(jobId: jobId) else { return nil }
        return DemoProgress.parse(json)
    }

    /// Sleeps one refresh interval, waking early for a signal or the deadline.
    private func pause(until deadline: ContinuousClock.Instant?) async {
        let next = ContinuousClock.now + .milliseconds(Self.refreshMs)
        let wake = deadline.map { min($0, next) } ?? next
        while ContinuousClock.now < wake && !stop.isSet {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A reason to stop early: a process ended, the job failed, the clicks stopped.
    private func problem(_ progress: DemoProgress?) -> String? {
        if let (child, status) = cluster.ended() {
            return "the \(child.name) ended unexpectedly (\(ChildProcess.describe(status: status))):\n"
                + child.stderrTail()
        }
        if let progress, progress.state == "failed" {
            return "job \(jobId) failed: \(progress.failure ?? "no reason given")"
        }
        if case .failure(let error) = producer.finished { return "the click stream failed: \(error)" }
        return nil
    }

    /// Prints what changed (plain) or redraws the screen (terminal).
    private mutating func show(_ progress: DemoProgress?) {
        if let progress { lastProgress = progress }
        let fresh = reader?.refresh() ?? []
        let line = DemoScreen.progressLine(progress ?? lastProgress, jobId: jobId)
        if redraws {
            let windows = reader?.windows ?? []
            print(
                DemoScreen.frame(header: header, clicks: producer.progressLine, progress: line, windows: windows),
                terminator: "")
        } else {
            if line != lastProgressLine { print(line) }
            for window in fresh { print(DemoScreen.windowLine(window)) }
        }
        lastProgressLine = line
        fflush(nil)
    }

    /// "ran 20 s: 400000 clicks sent, 61 batches, 2 windows closed".
    func summary(_ produced: Result<ClickStreamSummary, ClickStreamError>) -> String {
        let seconds = Double((ContinuousClock.now - startedAt).components.seconds)
        let sent = (try? produced.get()).map { "\($0.sent) clicks sent" } ?? "the click stream failed"
        let batches = lastProgress?.batchId.map { Self.count($0 + 1, "batch", "batches") } ?? "no batch committed"
        let windows = reader.map { Self.count(Int64($0.windows.count), "window", "windows") + " closed" }
        return "ran \(fixed(seconds, 0)) s: \(sent), \(batches), \(windows ?? "no file sink to read windows from")"
    }

    /// "1 window", "2 windows".
    static func count(_ value: Int64, _ one: String, _ many: String) -> String {
        "\(value) \(value == 1 ? one : many)"
    }
}

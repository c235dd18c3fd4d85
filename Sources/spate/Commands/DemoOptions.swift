/// What `spate demo` runs, from its flags.
struct DemoOptions: Sendable, Equatable {
    /// The web page's port when the user names none; Spark's UI port, so it feels familiar.
    static let defaultHTTPPort = 4040

    /// Stop after this many seconds of clicks flowing; nil runs until Ctrl-C.
    var durationSeconds: Double?
    /// Clicks produced per second.
    var ratePerSecond: Int
    /// Where everything lives; nil for a temporary directory removed at the end.
    var dataDirectory: String?
    /// The driver's HTTP port (0: any free one).
    var httpPort: Int
    /// Whether the user chose `httpPort` (a taken port is then an error, not a fallback).
    var httpPortChosen: Bool
    /// Appended lines instead of a redrawn screen.
    var plain: Bool
    /// Executors started, and task slots each.
    var executorCount = 2
    var slotsPerExecutor = 2

    /// The options the flags describe; bad values are usage errors.
    static func from(_ arguments: ParsedArguments) throws -> DemoOptions {
        let duration = arguments.optionalDouble("duration")
        if let duration, !(duration > 0 && duration <= 366 * 86_400) {
            throw InvalidArgument("--duration must be above 0 and at most a year of seconds, got \(duration)")
        }
        let rate = arguments.int("rate")
        guard (1...ClickStreamOptions.rateMax).contains(rate) else {
            throw InvalidArgument("--rate must be in 1...\(ClickStreamOptions.rateMax), got \(rate)")
        }
        let port = arguments.int("http-port")
        guard (0...65535).contains(port) else { throw InvalidArgument("--http-port must be in 0...65535, got \(port)") }
        let directory = arguments.optionalString("data-dir")
        if directory?.isEmpty == true { throw InvalidArgument("--data-dir needs a directory name") }
        return DemoOptions(
            durationSeconds: duration, ratePerSecond: rate, dataDirectory: directory, httpPort: port,
            httpPortChosen: arguments.isSet("http-port"), plain: arguments.bool("plain"))
    }
}

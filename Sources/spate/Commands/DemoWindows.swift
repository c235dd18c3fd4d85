import Foundation
import Query

/// One closed window of the pv/uv job, as the file sink wrote it.
struct DemoWindow: Sendable, Equatable {
    var startMs: Int64
    var pv: Int64
    var uv: Int64
    var ips: Int64

    /// Parses one JSON line of the sink (`window_start` as ISO-8601, `pv`, `uv`, `ips`); nil for a
    /// line without them.
    static func parse(_ line: Substring) -> DemoWindow? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let startText = object["window_start"] as? String,
            let startMs = try? TimestampCodec.parseISO8601(startText),
            let pv = (object["pv"] as? NSNumber)?.int64Value
        else { return nil }
        let uv = (object["uv"] as? NSNumber)?.int64Value ?? 0
        let ips = (object["ips"] as? NSNumber)?.int64Value ?? 0
        return DemoWindow(startMs: startMs, pv: pv, uv: uv, ips: ips)
    }
}

/// Follows the file sink's directory: reads each batch file once, after the manifest lists it
/// (only listed files are committed), and keeps the windows seen, oldest first.
struct DemoWindowReader {
    /// The sink's directory.
    let directory: String
    /// The windows kept for display; older ones are dropped.
    static let windowsMax = 1_000
    private var filesRead: Set<String> = []
    private(set) var windows: [DemoWindow] = []

    init(directory: String) { self.directory = directory }

    /// Reads batch files the manifest lists and were not read yet; returns their windows, oldest first.
    mutating func refresh() -> [DemoWindow] {
        let manifest = directory + "/" + "_spate_manifest"
        guard let text = try? String(contentsOfFile: manifest, encoding: .utf8) else { return [] }
        var fresh: [DemoWindow] = []
        for name in Self.batchFiles(inManifest: text) where !filesRead.contains(name) {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            filesRead.insert(name)
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            fresh += lines.compactMap(DemoWindow.parse)
        }
        fresh.sort { $0.startMs < $1.startMs }
        windows = Array((windows + fresh).sorted { $0.startMs < $1.startMs }.suffix(Self.windowsMax))
        return fresh
    }

    /// The batch files a manifest lists (its first line is the format's version).
    static func batchFiles(inManifest text: String) -> [String] {
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first?.hasPrefix("spate-manifest ") == true else { return [] }
        return lines.dropFirst().filter { !$0.contains("/") && !$0.isEmpty }
    }
}

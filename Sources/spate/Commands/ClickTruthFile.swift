import Foundation
import Query

#if canImport(Glibc)
    import Glibc
#endif

/// The ground truth of a generated click stream, one compact JSON object per event sent, in the
/// order sent, so a test can recompute every aggregate without Spate:
///
///     {"partition":2,"ts":1796008650123,"user_id":"u000042","ip":"81.12.7.200","url":"/","status":200}
///
/// A malformed line adds `"defect"` (how it is broken: `truncated`, `invalidUTF8`, `missingTimestamp`,
/// `badTimestamp`, `statusNotNumber`) and `"reason"` (the dead-letter reason the example jobs give
/// it); its other fields say what the line would have said. Within a partition the lines follow
/// the records' offsets, since the producer keeps each partition's order.
final class ClickTruthFile {
    /// Lines gather here and go out in large writes.
    static let flushBytes = 1 << 20
    /// The columns the example jobs decode, which decide the dead-letter reason of a malformed line.
    static let exampleColumns: Set<String> = ["ts", "ip", "user_id", "url", "status"]

    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []

    /// Creates (or truncates) `path`.
    init(path: String) throws(ClickStreamError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .truthFile(path: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.flushBytes + 1024)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Appends the line of one event sent to `partition`.
    func append(_ truth: ClickTruth, partition: Int32) throws(ClickStreamError) {
        Self.appendLine(truth, partition: partition, to: &buffer)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Writes what is buffered.
    func flush() throws(ClickStreamError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { raw in write(fd, raw.baseAddress! + written, raw.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw .truthFile(path: path, reason: String(cString: strerror(errno))) }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file (once).
    func close() throws(ClickStreamError) {
        try flush()
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        fd = -1
        if result != 0 { throw .truthFile(path: path, reason: String(cString: strerror(errno))) }
    }

    /// One event's line, with its line break.
    static func appendLine(_ truth: ClickTruth, partition: Int32, to out: inout [UInt8]) {
        let click = truth.click
        out.append(contentsOf: "{\"partition\":".utf8)
        out.append(contentsOf: String(partition).utf8)
        out.append(contentsOf: ",\"ts\":".utf8)
        out.append(contentsOf: String(click.tsMs).utf8)
        field("user_id", click.userId, to: &out)
        field("ip", click.ip, to: &out)
        field("url", click.url, to: &out)
        out.append(contentsOf: ",\"status\":".utf8)
        out.append(contentsOf: String(click.status).utf8)
        if let defect = truth.defect {
            field("defect", defect.rawValue, to: &out)
            if let reason = defect.deadLetterTag(decodedColumns: exampleColumns, tsIsEventTime: true) {
                field("reason", reason, to: &out)
            }
        }
        out.append(contentsOf: "}\n".utf8)
    }

    /// `,"name":"value"` with the value escaped as JSON requires.
    private static func field(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: ",\"".utf8)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "\":\"".utf8)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

import Glibc
import Query
import Synchronization
import Wire

/// Files under a directory: `batch-<N>.jsonl` (or `.csv`) per batch with rows, each written to a
/// temporary name, fsynced and renamed (a replay rewrites it with the same rows), and
/// `_spate_manifest`, which lists the batch files written so far, one per line after a version
/// line, and is itself replaced atomically. Readers should trust only the files it lists.
public final class FileSink: BatchSink {
    /// The manifest's file name.
    public static let manifestName = "_spate_manifest"
    /// The manifest's first line.
    static let manifestHeader = "spate-manifest v1"

    /// The directory the files go to.
    public let directory: String
    /// How rows are encoded.
    public let format: FileFormat
    /// The manifest's entries, loaded on first write.
    private let listed = Mutex<[String]?>(nil)

    /// A sink writing under `directory` (an absolute path).
    public init(directory: String, format: FileFormat) {
        self.directory = directory
        self.format = format
    }

    public var description: String { "file \(directory) (\(format.rawValue))" }

    /// The name of batch N's file.
    public func fileName(batchId: Int64) -> String { "batch-\(batchId).\(format.rawValue)" }

    public func write(batchId: Int64, rows: [RecordBatch]) throws(SinkError) {
        guard rows.contains(where: { $0.rowCount > 0 }) else { return }
        let name = fileName(batchId: batchId)
        do throws(PosixError) {
            try Posix.mkdirs(directory)
            try Posix.writeFileAtomically("\(directory)/\(name)", encode(rows))
            var entries = try manifestEntries()
            guard !entries.contains(name) else { return }
            entries.append(name)
            let text = ([Self.manifestHeader] + entries).joined(separator: "\n") + "\n"
            try Posix.writeFileAtomically("\(directory)/\(Self.manifestName)", Array(text.utf8))
            listed.withLock { $0 = entries }
        } catch {
            throw SinkError("file sink \(directory): \(error)")
        }
    }

    /// The batch files the manifest lists, in the order they were committed.
    public func manifestEntries() throws(PosixError) -> [String] {
        if let entries = listed.withLock({ $0 }) { return entries }
        let path = "\(directory)/\(Self.manifestName)"
        var entries: [String] = []
        if Posix.exists(path) {
            let text = String(decoding: try Posix.readFile(path), as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init)
            guard lines.first == Self.manifestHeader else {
                throw PosixError(call: "read", errno: EINVAL, context: "\(path): not a Spate manifest")
            }
            entries = Array(lines.dropFirst())
        }
        listed.withLock { $0 = entries }
        return entries
    }

    private func encode(_ batches: [RecordBatch]) -> [UInt8] {
        var bytes: [UInt8] = []
        switch format {
        case .jsonl:
            for batch in batches { JSONLinesEncoder.append(batch, to: &bytes) }
        case .csv:
            guard let first = batches.first else { return bytes }
            CSVEncoder.appendHeader(first.schema, to: &bytes)
            for batch in batches {
                for row in 0..<batch.rowCount { CSVEncoder.appendRow(row, of: batch, to: &bytes) }
            }
        }
        return bytes
    }
}

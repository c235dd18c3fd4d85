import Foundation
import Query

/// Why a sink could not write a batch.
public struct SinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What failed and why.
    public var message: String

    /// An error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// Where a job's result rows go. The driver writes every sink itself (rows come back in task
/// results), after the batch's state is durable and before `commits/N`; a replay of batch N after
/// a crash calls `write` again with the same rows, which must then write nothing twice.
public protocol BatchSink: Sendable {
    /// Writes batch `batchId`'s rows (one `RecordBatch` per task, in partition order).
    func write(batchId: Int64, rows: [RecordBatch]) throws(SinkError)
    /// One line for progress records and status pages.
    var description: String { get }
}

/// Builds the sink a plan names.
public enum SinkFactory {
    /// The sink for `spec`: file paths resolve against `workingDirectory`; console output goes to
    /// `console`; topics go through `broker`.
    public static func make(
        _ spec: SinkSpec, jobId: String, broker: any DriverBroker, workingDirectory: String,
        console: @escaping @Sendable (String) -> Void
    ) -> any BatchSink {
        switch spec.kind {
        case .console:
            return ConsoleSink(jobId: jobId, output: console)
        case .file(let path, let format):
            let absolute = path.hasPrefix("/") ? path : "\(workingDirectory)/\(path)"
            return FileSink(directory: absolute, format: format)
        case .topic(let topic, let keyColumn):
            return TopicSink(
                writer: IdempotentTopicWriter(broker: broker, topic: topic, jobId: jobId, tailRecordsMax: 1000),
                keyColumn: keyColumn)
        }
    }
}

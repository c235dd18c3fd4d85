import Query
import Wire

extension ProgressRecord {
    /// The record as a JSON object, with Spark's field names where Spark has one; times are
    /// ISO-8601 UTC strings, offsets are `{"topic": {"partition": offset}}`.
    public func json() -> [UInt8] {
        JSONWriter.object { writeJSON(into: &$0) }
    }

    /// Writes the record's fields into an object being built.
    public func writeJSON(into object: inout JSONObjectWriter) {
        object.field("id", jobId)
        object.field("batchId", batchId)
        object.field("timestamp", TimestampCodec.formatISO8601(epochMs: timestampMs))
        object.field("numInputRows", numInputRows)
        object.field("inputRowsPerSecond", inputRowsPerSecond)
        object.field("processedRowsPerSecond", processedRowsPerSecond)
        object.object("durationMs") { durations in
            durations.field("latestOffset", self.durations.latestOffsetMs)
            durations.field("walCommit", self.durations.walCommitMs)
            durations.field("planning", self.durations.planningMs)
            durations.field("execution", self.durations.executionMs)
            durations.field("commit", self.durations.commitMs)
            durations.field("triggerExecution", self.durations.totalMs)
        }
        object.object("eventTime") { times in
            Self.timeField(&times, "min", eventTime.minMs)
            Self.timeField(&times, "max", eventTime.maxMs)
            Self.timeField(&times, "watermark", eventTime.watermarkMs)
            if let watermark = eventTime.watermarkMs { times.field("watermarkMs", watermark) }
        }
        object.array("stateOperators") { operators in
            guard let state = stateOperator else { return }
            operators.appendObject { op in
                op.field("numRowsTotal", state.rowsTotal)
                op.field("numRowsUpdated", state.rowsUpdated)
                op.field("numRowsDroppedByWatermark", state.rowsDroppedByWatermark)
                op.field("numRowsRemoved", state.rowsRemoved)
                op.field("memoryUsedBytes", state.memoryBytes)
                op.field("numPartitions", state.partitions)
            }
        }
        object.array("sources") { sources in
            sources.appendObject { writeSource(into: &$0) }
        }
        object.object("sink") { sink in
            sink.field("description", self.sink.description)
            sink.field("numOutputRows", self.sink.rowsWritten)
        }
        object.field("numDeadLetters", deadLetters)
    }

    private func writeSource(into object: inout JSONObjectWriter) {
        object.field("description", "topic \(source.topic)")
        let topic = source.topic
        object.object("startOffset") { start in
            start.object(topic) { for range in source.ranges { $0.field(String(range.partition), range.start) } }
        }
        object.object("endOffset") { end in
            end.object(topic) { for range in source.ranges { $0.field(String(range.partition), range.end) } }
        }
        if let latest = source.latest {
            object.object("latestOffset") { offsets in
                offsets.object(topic) {
                    for (partition, offset) in latest.sorted(by: { $0.key < $1.key }) {
                        $0.field(String(partition), offset)
                    }
                }
            }
        } else {
            object.nullField("latestOffset")
        }
        object.field("numInputRows", numInputRows)
        if let lag = source.lag { object.field("lag", lag) } else { object.nullField("lag") }
    }

    private static func timeField(_ object: inout JSONObjectWriter, _ key: String, _ ms: Int64?) {
        if let ms { object.field(key, TimestampCodec.formatISO8601(epochMs: ms)) } else { object.nullField(key) }
    }
}

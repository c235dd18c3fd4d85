import Query

extension TaskRunner {
    /// Reads the range, decodes it, runs the map side of the plan and keeps its shuffle blocks.
    func runMap(_ context: TaskContext, _ job: CompiledJob, _ range: SourceRange) throws -> MapTaskReport {
        let client = try brokers.client(for: context.session.brokerAddress)
        let reader = SourceReader(
            client: client, brokerAddress: context.session.brokerAddress, prefetch: prefetch, sizing: fetchSizing,
            inputBytesMax: settings.taskInputBytesMax,
            waitMs: settings.sourceWaitMs,
            cancel: context.cancel, readsAhead: settings.readsAhead)
        var records = try context.clock.measure(.read) { try reader.read(range) }
        context.clock.count(records.count)
        try context.cancel.check(before: "decoding")
        let decoded = context.clock.measure(.decode) { job.decoder.decode(records) }
        try context.cancel.check(before: "mapping")
        let output = try context.clock.measure(.run) {
            let output = try MapTask.run(
                plan: job.plan, records: records, decoded: decoded, watermarkMs: context.task.watermarkMs)
            if case .aggregate = job.plan.body { try keep(output.shuffleBlocks, context) }
            return output
        }
        var inputBytes: Int64 = 0
        for length in records.valueLengths where length > 0 { inputBytes += Int64(length) }
        let metrics = output.metrics
        reader.recycle(&records)
        return MapTaskReport(
            inputRecords: Int64(metrics.inputRecords), inputBytes: inputBytes, lateRows: Int64(metrics.lateRowsDropped),
            minEventTimeMs: metrics.minEventTimeMs, maxEventTimeMs: metrics.maxEventTimeMs,
            deadLetters: output.deadLetters, rows: output.rows)
    }

    /// Stores the blocks under this map task's key, each small enough to be served in one frame.
    private func keep(_ blocks: [[UInt8]], _ context: TaskContext) throws(TaskFailure) {
        for (partition, block) in blocks.enumerated() where block.count > settings.messageBytesMax {
            throw TaskFailure(
                "the shuffle block for reduce partition \(partition) holds \(block.count) bytes, more than one RPC "
                    + "frame carries (\(settings.messageBytesMax)); raise shuffle_partitions or lower the batch size")
        }
        let task = context.task
        let key = ShuffleKey(jobId: task.jobId, batchId: task.batchId, stage: task.stage, mapPartition: task.partition)
        do throws(ShuffleStoreError) {
            try shuffle.put(key, blocks: blocks)
        } catch {
            throw TaskFailure(error.description)
        }
    }
}

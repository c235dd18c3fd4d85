import Query

/// Chooses the ranges of the next batch: from where the last batch ended (or the starting offsets
/// of a new job) to the latest offset, capped by the job's records-per-batch limit.
enum RangePlanner {
    /// One range per partition the broker reported, ascending by partition. A start outside the
    /// partition's log (retention deleted records; the topic was recreated) is moved into it.
    static func ranges(
        offsets: [PartitionOffsets], committedEnds: [Int32: Int64], isNewJob: Bool, starting: StartingOffsets,
        recordsMax: Int64?
    ) -> [SourceRange] {
        let sorted = offsets.sorted { $0.partition < $1.partition }
        let starts = sorted.map { partition -> Int64 in
            let earliest = partition.earliest
            let latest = max(partition.earliest, partition.latest)
            let wanted: Int64
            if let end = committedEnds[partition.partition] {
                wanted = end
            } else if isNewJob && starting == .latest {
                wanted = latest
            } else {
                // A partition added to the topic after the job started is read from its beginning.
                wanted = earliest
            }
            return min(max(wanted, earliest), latest)
        }
        let available = zip(sorted, starts).map { max(0, $0.latest - $1) }
        let takes = recordsMax.map { proportionalShares(available: available, cap: $0) } ?? available
        return sorted.indices.map { index in
            SourceRange(partition: sorted[index].partition, start: starts[index], end: starts[index] + takes[index])
        }
    }

    /// Splits `cap` over partitions in proportion to what each has available, as Spark's Kafka
    /// source does with `maxOffsetsPerTrigger`: partitions filled over the same span of time then
    /// advance through the same span of event time per batch, so a lagging partition's records do
    /// not turn late against another's watermark. Rounding gives the records left over to the
    /// largest remainders (ties in partition order); never more than `available` per partition,
    /// exactly `min(cap, total)` in all.
    static func proportionalShares(available: [Int64], cap: Int64) -> [Int64] {
        precondition(cap > 0 && available.allSatisfy { $0 >= 0 }, "cap and availability must not be negative")
        let total = available.reduce(Int64(0)) { sum, next in
            let (added, overflow) = sum.addingReportingOverflow(next)
            return overflow ? .max : added
        }
        if total <= cap { return available }
        // cap × available / total in 128 bits: the product overflows 64 for large offsets.
        let exact = available.map { amount -> (share: Int64, remainder: Int64) in
            let product = cap.multipliedFullWidth(by: amount)
            let (quotient, remainder) = total.dividingFullWidth((product.high, product.low))
            return (quotient, remainder)
        }
        var shares = exact.map(\.share)
        let leftOver = cap - shares.reduce(0, +)
        let byRemainder = available.indices.sorted { (-exact[$0].remainder, $0) < (-exact[$1].remainder, $1) }
        for index in byRemainder.prefix(Int(leftOver)) { shares[index] += 1 }
        return shares
    }
}

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
        let takes = recordsMax.map { fairShares(available: available, cap: $0) } ?? available
        return sorted.indices.map { index in
            SourceRange(partition: sorted[index].partition, start: starts[index], end: starts[index] + takes[index])
        }
    }

    /// Splits `cap` over partitions max-min fairly: a partition with less than its share gets all
    /// it has, the rest split what remains evenly (the first ones in partition order get the odd
    /// records). Never more than `available` per partition, never more than `cap` in total.
    static func fairShares(available: [Int64], cap: Int64) -> [Int64] {
        precondition(cap > 0 && available.allSatisfy { $0 >= 0 }, "cap and availability must be positive")
        let total = available.reduce(Int64(0)) { sum, next in
            let (added, overflow) = sum.addingReportingOverflow(next)
            return overflow ? .max : added
        }
        if total <= cap { return available }
        var shares = [Int64](repeating: 0, count: available.count)
        var remaining = cap
        var left = Int64(available.count)
        let bySize = available.indices.sorted { (available[$0], $0) < (available[$1], $1) }
        var position = 0
        while position < bySize.count, available[bySize[position]] <= remaining / left {
            let index = bySize[position]
            shares[index] = available[index]
            remaining -= available[index]
            left -= 1
            position += 1
        }
        // Every partition left has more than an even split of what remains.
        let rest = bySize[position...].sorted()
        let even = remaining / left
        let odd = remaining % left
        for (rank, index) in rest.enumerated() { shares[index] = even + (Int64(rank) < odd ? 1 : 0) }
        return shares
    }
}

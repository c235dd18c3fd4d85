extension Accumulator {
    /// Folds group `source` of `other` into group `slot` of this one (the reduce side). With
    /// `overwrite` (restoring a delta, whose records hold totals) counts and sums are replaced
    /// instead of added; sets, sketches and extremes merge the same way either way.
    mutating func merge(from other: Accumulator, _ source: Int32, into slot: Int32, overwrite: Bool) {
        precondition(other.kind == kind, "merging accumulators of different aggregates")
        let from = Int(source)
        let to = Int(slot)
        switch kind {
        case .countStar, .count:
            int64s[to] = overwrite ? other.int64s[from] : int64s[to] &+ other.int64s[from]
        case .sumInt:
            int64s[to] = overwrite ? other.int64s[from] : int64s[to] &+ other.int64s[from]
            has[to] = overwrite ? other.has[from] : has[to] || other.has[from]
        case .sumDouble:
            doubles[to] = overwrite ? other.doubles[from] : doubles[to] + other.doubles[from]
            has[to] = overwrite ? other.has[from] : has[to] || other.has[from]
        case .avg:
            doubles[to] = overwrite ? other.doubles[from] : doubles[to] + other.doubles[from]
            int64s[to] = overwrite ? other.int64s[from] : int64s[to] &+ other.int64s[from]
        case .min(let type), .max(let type):
            mergeExtreme(from: other, from, into: to, storage: OrderedStorage(type), overwrite: overwrite)
        case .distinct, .topK:
            values.insertSlot(source, of: other.values, into: slot, overwrite: overwrite)
        case .approxDistinct:
            let incoming = other.sketches[from]
            guard !incoming.isEmpty else { return }
            if sketches[to].isEmpty {
                sketches[to] = incoming
            } else {
                for index in 0..<HyperLogLog.registerCount where incoming[index] > sketches[to][index] {
                    sketches[to][index] = incoming[index]
                }
            }
        }
    }

    private mutating func mergeExtreme(
        from other: Accumulator, _ from: Int, into to: Int, storage: OrderedStorage, overwrite: Bool
    ) {
        guard other.has[from] else {
            if overwrite { has[to] = false }
            return
        }
        let take: Bool
        switch storage {
        case .int64: take = overwrite || !has[to] || better(other.int64s[from], than: int64s[to])
        case .double: take = overwrite || !has[to] || better(other.doubles[from], than: doubles[to])
        case .string:
            take = overwrite || !has[to] || other.strings[from].withUnsafeBytes { better($0, than: strings[to]) }
        }
        guard take else { return }
        switch storage {
        case .int64: int64s[to] = other.int64s[from]
        case .double: doubles[to] = other.doubles[from]
        case .string: strings[to] = other.strings[from]
        }
        has[to] = true
    }

    /// Group `slot` alone, as a one-group accumulator (to merge it into another group of this one).
    /// Its values come out in byte order: the order a group's values sit in depends on its history,
    /// and merging them in that order would make a replayed batch's delta differ from the original.
    func extract(_ slot: Int32) -> Accumulator {
        var out = Accumulator(kind, indexed: false, tracking: false)
        out.appendSlot()
        out.merge(from: self, slot, into: 0, overwrite: true)
        if out.values.sizes.first ?? 0 > 1 { out.values = out.values.sortedCopy() }
        return out
    }
}

/// The bytes of one string column while a batch decodes: values are copied in as each record
/// converts, while they are still in cache, and the ones of a record that fails are dropped.
/// Grows by doubling; freed by its owner.
struct StringBytesBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes of the kept rows and of the record being decoded.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// Copies `length` bytes from `source`; returns where they start.
    @inline(__always)
    mutating func append(_ source: UnsafeRawPointer, _ length: Int) -> Int {
        if capacity - count < length { grow(to: count + length) }
        let start = count
        Self.copy(source, to: base + start, count: length)
        count += length
        return start
    }

    /// Drops the bytes from `kept` on (those of a record that failed); its owner knows where
    /// the kept rows' bytes end, so keeping a row costs nothing here.
    @inline(__always)
    mutating func truncate(to kept: Int) {
        precondition(kept >= 0 && kept <= count, "truncating a string buffer past its end")
        count = kept
    }

    mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func deallocate() { base.deallocate() }

    /// The bytes as an array.
    func array() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            if count > 0 { bytes.baseAddress!.update(from: base, count: count) }
            initialized = count
        }
    }

    /// Copies a short string a word at a time (a libc call per value costs more than the copy),
    /// ending with one load that overlaps the last word instead of a loop over the tail bytes.
    @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let target = UnsafeMutableRawPointer(target)
        if count >= 8 {
            var done = 0
            while count - done > 8 {
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: done, as: UInt64.self), toByteOffset: done, as: UInt64.self
                )
                done += 8
            }
            let last = count - 8
            target.storeBytes(
                of: source.loadUnaligned(fromByteOffset: last, as: UInt64.self), toByteOffset: last, as: UInt64.self)
        } else if count >= 4 {
            let last = count - 4
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: last, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: last, as: UInt32.self)
        } else {
            for index in 0..<count {
                target.storeBytes(
                    of: source.load(fromByteOffset: index, as: UInt8.self), toByteOffset: index, as: UInt8.self)
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` keeping the body's typed error, which the standard library's rethrows erases.
    @inline(__always)
    func withBytes<Value, Failure: Error>(_ body: (UnsafeRawBufferPointer) throws(Failure) -> Value)
        throws(Failure) -> Value
    {
        try withUnsafeBytes { raw in Result { () throws(Failure) in try body(raw) } }.get()
    }

    /// `withUnsafeMutableBytes` keeping the body's typed error.
    @inline(__always)
    mutating func withMutableBytes<Value, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        try withUnsafeMutableBytes { raw in Result { () throws(Failure) in try body(raw) } }.get()
    }
}

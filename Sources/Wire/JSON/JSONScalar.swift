/// One JSON value that is not a container.
public enum JSONScalarValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    /// Written as a JSON number when finite, as `null` when NaN or infinite (JSON has neither).
    case double(Double)
    case bool(Bool)
    case null
}

/// A type that `JSONWriter` writes as a single JSON value; conform your own (an enum written as
/// its name, say) by saying which scalar it is, so what is written stays valid JSON.
public protocol JSONScalar {
    /// This value as a JSON scalar.
    var jsonScalar: JSONScalarValue { get }
}

extension String: JSONScalar {
    public var jsonScalar: JSONScalarValue { .string(self) }
}

extension Substring: JSONScalar {
    public var jsonScalar: JSONScalarValue { .string(String(self)) }
}

extension Int: JSONScalar {
    public var jsonScalar: JSONScalarValue { .int(Int64(self)) }
}

extension Int64: JSONScalar {
    public var jsonScalar: JSONScalarValue { .int(self) }
}

extension Int32: JSONScalar {
    public var jsonScalar: JSONScalarValue { .int(Int64(self)) }
}

extension UInt64: JSONScalar {
    public var jsonScalar: JSONScalarValue { .uint(self) }
}

extension UInt32: JSONScalar {
    public var jsonScalar: JSONScalarValue { .uint(UInt64(self)) }
}

extension Double: JSONScalar {
    public var jsonScalar: JSONScalarValue { .double(self) }
}

extension Bool: JSONScalar {
    public var jsonScalar: JSONScalarValue { .bool(self) }
}

extension JSONScalarValue: JSONScalar {
    public var jsonScalar: JSONScalarValue { self }
}

extension Optional: JSONScalar where Wrapped: JSONScalar {
    /// The wrapped value, or `null`.
    public var jsonScalar: JSONScalarValue { self?.jsonScalar ?? .null }
}

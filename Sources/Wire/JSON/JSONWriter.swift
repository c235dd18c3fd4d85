/// Writes JSON text that is valid by construction: containers are closures, so every brace is
/// closed; keys and strings are Swift strings (always Unicode scalars, never lone surrogates) and
/// are escaped here; NaN and infinities become `null`. Not a parser.
public enum JSONWriter {
    /// The UTF-8 of one JSON object built by `body`.
    public static func object(_ body: (inout JSONObjectWriter) -> Void) -> [UInt8] {
        var bytes: [UInt8] = []
        appendObject(to: &bytes, body)
        return bytes
    }

    /// The UTF-8 of one JSON array built by `body`.
    public static func array(_ body: (inout JSONArrayWriter) -> Void) -> [UInt8] {
        var bytes: [UInt8] = []
        appendArray(to: &bytes, body)
        return bytes
    }

    /// Appends `{...}` to `bytes`; the child writer takes the buffer for the duration, so nesting
    /// never copies what is already written.
    static func appendObject(to bytes: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        var child = JSONObjectWriter(bytes: [])
        swap(&child.bytes, &bytes)
        child.bytes.append(UInt8(ascii: "{"))
        body(&child)
        child.bytes.append(UInt8(ascii: "}"))
        swap(&child.bytes, &bytes)
    }

    /// Appends `[...]` to `bytes`, as `appendObject` does.
    static func appendArray(to bytes: inout [UInt8], _ body: (inout JSONArrayWriter) -> Void) {
        var child = JSONArrayWriter(bytes: [])
        swap(&child.bytes, &bytes)
        child.bytes.append(UInt8(ascii: "["))
        body(&child)
        child.bytes.append(UInt8(ascii: "]"))
        swap(&child.bytes, &bytes)
    }

    /// The UTF-8 of one scalar on its own (a valid JSON text since RFC 8259).
    public static func scalar(_ value: some JSONScalar) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONEncoding.append(value.jsonScalar, to: &bytes)
        return bytes
    }
}

/// Writes the members of one JSON object; get one from `JSONWriter.object` or a parent container.
public struct JSONObjectWriter {
    var bytes: [UInt8]
    private var isEmpty = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Writes `"key": value`.
    public mutating func field(_ key: String, _ value: some JSONScalar) {
        writeKey(key)
        JSONEncoding.append(value.jsonScalar, to: &bytes)
    }

    /// Writes `"key": null`.
    public mutating func nullField(_ key: String) {
        field(key, JSONScalarValue.null)
    }

    /// Writes `"key": [values...]`.
    public mutating func field<Values: Sequence>(_ key: String, _ values: Values) where Values.Element: JSONScalar {
        array(key) { array in
            for value in values { array.append(value) }
        }
    }

    /// Writes `"key": {...}` with the members `body` writes.
    public mutating func object(_ key: String, _ body: (inout JSONObjectWriter) -> Void) {
        writeKey(key)
        JSONWriter.appendObject(to: &bytes, body)
    }

    /// Writes `"key": [...]` with the elements `body` writes.
    public mutating func array(_ key: String, _ body: (inout JSONArrayWriter) -> Void) {
        writeKey(key)
        JSONWriter.appendArray(to: &bytes, body)
    }

    private mutating func writeKey(_ key: String) {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
        JSONEncoding.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }
}

/// Writes the elements of one JSON array; get one from `JSONWriter.array` or a parent container.
public struct JSONArrayWriter {
    var bytes: [UInt8]
    private var isEmpty = true

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Appends one scalar.
    public mutating func append(_ value: some JSONScalar) {
        separate()
        JSONEncoding.append(value.jsonScalar, to: &bytes)
    }

    /// Appends `null`.
    public mutating func appendNull() { append(JSONScalarValue.null) }

    /// Appends an object with the members `body` writes.
    public mutating func appendObject(_ body: (inout JSONObjectWriter) -> Void) {
        separate()
        JSONWriter.appendObject(to: &bytes, body)
    }

    /// Appends an array with the elements `body` writes.
    public mutating func appendArray(_ body: (inout JSONArrayWriter) -> Void) {
        separate()
        JSONWriter.appendArray(to: &bytes, body)
    }

    private mutating func separate() {
        if !isEmpty { bytes.append(UInt8(ascii: ",")) }
        isEmpty = false
    }
}

/// Text to a non-string column type: the one conversion CSV fields, combined-log fields and JSON
/// strings share (BIGINT: a whole decimal number; DOUBLE: a decimal number, `NaN`, `Inf`,
/// `Infinity`; BOOLEAN: `true`/`false` in any case; TIMESTAMP: epoch ms digits or ISO-8601).
enum TextConversion {
    /// `text` as a value of `type`, which must not be `.string` (strings keep their bytes).
    @inline(__always)
    static func value(_ text: UnsafeRawBufferPointer, type: DataType) throws(ConversionFailure) -> DecodedCell {
        switch type {
        case .int64: return .int64(try NumberText.int64(text))
        case .double: return .double(try NumberText.double(text, specials: true))
        case .bool: return .bool(try NumberText.bool(text))
        case .timestamp:
            do {
                return .int64(try TimestampCodec.parseEpochMsOrISO8601(text))
            } catch {
                throw .timestamp(error)
            }
        case .string:
            preconditionFailure("string fields keep their bytes")
        }
    }

    /// `scratch[start...]` (unescaped text) as a value of `type`.
    static func value(_ scratch: [UInt8], from start: Int, type: DataType) throws(ConversionFailure) -> DecodedCell {
        try scratch.withUnsafeBytes { bytes in
            Result { () throws(ConversionFailure) in
                try value(UnsafeRawBufferPointer(rebasing: bytes[start...]), type: type)
            }
        }.get()
    }
}

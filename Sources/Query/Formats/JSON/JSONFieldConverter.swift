/// Converts the JSON values the scanner found to column values. Decisions (Spark's PERMISSIVE
/// reader is the model where it has one):
/// - STRING takes strings; any other value becomes its raw JSON text, as Spark does.
/// - BIGINT takes numbers with a whole value (`200`, `2e2`, `200.0`) and strings holding one
///   (`"200"`, as nginx's `escape=json` logs write every field); anything out of range, fractional
///   or non-numeric is a bad value. DOUBLE takes numbers and numeric strings (`"NaN"`, `"Inf"` too).
/// - BOOLEAN takes `true`/`false` and the strings `"true"`/`"false"` in any case.
/// - TIMESTAMP takes a whole number of epoch milliseconds, a string of digits (epoch ms), or an
///   ISO-8601 string.
struct JSONFieldConverter: CellConverter {
    let types: UnsafeBufferPointer<DataType>
    let tokens: UnsafeMutablePointer<JSONToken>
    let record: UnsafeRawBufferPointer
    /// Where the record starts in the source buffer.
    let recordStart: Int

    @inline(__always)
    func convert(_ slot: Int, scratch: inout [UInt8]) throws(ConversionFailure) -> DecodedCell {
        let token = tokens[slot]
        let type = types[slot]
        switch token.kind {
        case .absent, .null:
            return .null
        case .integer where token.integerIsExact && type.storesInt64:
            return .int64(token.integerValue)
        case .string:
            if type == .string { return .source(start: recordStart + Int(token.start), count: text(token).count) }
            return try TextConversion.value(text(token), type: type)
        case .escapedString:
            let start = scratch.count
            JSONUnescape.append(text(token), to: &scratch)
            if type == .string { return .scratch(start: start, count: scratch.count - start) }
            defer { scratch.removeSubrange(start...) }
            return try TextConversion.value(scratch, from: start, type: type)
        case .integer, .number:
            switch type {
            case .int64, .timestamp: return .int64(try NumberText.int64(text(token)))
            case .double: return .double(try NumberText.double(text(token), specials: false))
            case .string: return .source(start: recordStart + Int(token.start), count: text(token).count)
            case .bool: throw .wrongJSONKind(found: token.kindName, type: type)
            }
        case .trueLiteral, .falseLiteral, .object, .array:
            if type == .string { return .source(start: recordStart + Int(token.start), count: text(token).count) }
            if type == .bool && token.kind != .object && token.kind != .array {
                return .bool(token.kind == .trueLiteral)
            }
            throw .wrongJSONKind(found: token.kindName, type: type)
        }
    }

    @inline(__always)
    func text(_ token: JSONToken) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: record[Int(token.start)..<Int(token.end)])
    }
}

extension JSONFieldConverter {
    /// `finish` with the cases that make up most fields inline: a plain string for a STRING
    /// column, a short integer for a BIGINT or TIMESTAMP one, and an ISO-8601 string of the common
    /// form for a TIMESTAMP one (none can fail: a string the common form does not take goes on to
    /// the general path, so the slot order that picks a dead letter's reason is kept).
    @inline(__always)
    func finishRow(
        record index: Int, of records: SourceRecords, order: UnsafeBufferPointer<Int>, into builder: inout RowBuilder
    ) {
        if !builder.scratch.isEmpty { builder.scratch.removeAll(keepingCapacity: true) }
        for slot in order {
            let token = tokens[slot]
            let target = builder.targets[slot]
            if token.kind == .string && target.isString {
                builder.store(target, sourceStart: recordStart + Int(token.start), count: Int(token.end - token.start))
                continue
            }
            if token.kind == .integer && token.integerIsExact && target.storesInt64 {
                builder.store(target, int64: token.integerValue)
                continue
            }
            // Epoch-ms digit strings never fit the common form (a '-' at 4, a ':' at 13), so
            // trying it before them, unlike `parseEpochMsOrISO8601`, gives the same value.
            if token.kind == .string && target.isTimestamp,
                let epochMs = TimestampCodec.parseCommonISO8601(text(token))
            {
                builder.store(target, int64: epochMs)
                continue
            }
            if let reason = store(slot, into: &builder) { return builder.reject(index, of: records, reason) }
        }
        builder.commit(record: index)
    }
}

import Foundation
import Testing

@testable import Query

/// SplitMix64 for the format tests: any failing randomized test replays from its printed seed.
struct FormatTestRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Small builders shared by the format tests.
enum FormatFixture {
    /// A JSON source over `schema` (every column decoded unless `columns` says otherwise).
    static func decoder(
        _ schema: Schema, format: SourceFormat = .json, columns: [Int]? = nil, eventTime: Int? = nil
    ) -> RecordDecoder {
        let source = SourceSpec(
            name: "s", topic: "t", format: format, schema: schema, eventTimeColumn: eventTime, watermarkDelayMs: nil)
        return RecordDecoder(source: source, decodedColumns: columns ?? Array(schema.fields.indices))
    }

    /// Decodes `values` (nil is a tombstone) as partition 3 from offset 100.
    static func decode(_ decoder: RecordDecoder, _ values: [[UInt8]?]) -> DecodedRecords {
        decoder.decode(SourceRecords(partition: 3, firstOffset: 100, values: values))
    }

    /// Decodes text values.
    static func decode(_ decoder: RecordDecoder, _ texts: [String]) -> DecodedRecords {
        decode(decoder, texts.map { Array($0.utf8) })
    }

    /// The one outcome of a single record: its row, or its dead letter's reason.
    static func outcome(_ decoder: RecordDecoder, _ value: [UInt8]) -> Result<[Value], ReasonError> {
        let decoded = decode(decoder, [value])
        if let letter = decoded.deadLetters.first { return .failure(ReasonError(reason: letter.reason)) }
        return .success(decoded.batch.row(0))
    }

    static func outcome(_ decoder: RecordDecoder, _ text: String) -> Result<[Value], ReasonError> {
        outcome(decoder, Array(text.utf8))
    }
}

/// A dead-letter reason as an Error, so outcomes fit in a Result.
struct ReasonError: Error, Equatable {
    let reason: DeadLetterReason
}

extension Result where Success == [Value], Failure == ReasonError {
    /// The row, or nil.
    var row: [Value]? { if case .success(let row) = self { row } else { nil } }
    /// The reason's tag, or nil for a row.
    var tag: String? { if case .failure(let error) = self { error.reason.tag } else { nil } }
    /// The reason, or nil.
    var reason: DeadLetterReason? { if case .failure(let error) = self { error.reason } else { nil } }
}

extension DeadLetterReason {
    /// The detail text of a malformed / bad value / bad event time reason.
    var detailText: String {
        switch self {
        case .malformed(let detail), .badEventTime(let detail), .badValue(_, let detail): detail
        default: ""
        }
    }
}

import Wire

/// The partial state an aggregate keeps per group, resolved from its `AggregateCall`.
enum AccumulatorKind: Sendable, Equatable {
    case countStar
    case count
    /// sum with a BIGINT result: wraps on overflow, as Spark without ANSI mode.
    case sumInt
    case sumDouble
    case avg
    case min(DataType)
    case max(DataType)
    case distinct(DataType)
    case approxDistinct(DataType)
    case topK(k: Int, DataType)
}

/// The largest k `top_k` accepts, so one group's result stays a sane size.
let topKMax = 10_000

/// The shape of an aggregation's groups: window kind, key types and aggregates. Shuffle blocks
/// and state bytes carry its fingerprint, so bytes from another plan are refused, not misread.
struct GroupLayout: Sendable, Equatable {
    enum WindowKind: UInt8, Sendable {
        case none = 0
        case tumbling = 1
        case sliding = 2
        case session = 3
    }

    let window: WindowKind
    let keyTypes: [DataType]
    let aggregates: [AccumulatorKind]
    /// A stable hash of everything above plus the window sizes.
    let fingerprint: UInt64

    var isWindowed: Bool { window != .none }

    init(_ plan: AggregationPlan) throws(PlanShapeError) {
        var description = ByteWriter(capacity: 64)
        switch plan.window?.spec {
        case nil: window = .none
        case .tumbling(let sizeMs)?:
            guard sizeMs > 0 else { throw .invalid("a window's size must be positive, not \(sizeMs) ms") }
            window = .tumbling
            description.writeInteger(sizeMs)
        case .sliding(let sizeMs, let slideMs)?:
            guard sizeMs > 0, slideMs > 0, slideMs <= sizeMs else {
                throw .invalid("a sliding window needs 0 < slide ≤ size, not size \(sizeMs) ms and slide \(slideMs) ms")
            }
            guard sizeMs / slideMs <= 1000 else {
                throw .invalid("a sliding window may overlap itself at most 1000 times")
            }
            window = .sliding
            description.writeInteger(sizeMs)
            description.writeInteger(slideMs)
        case .session(let gapMs)?:
            guard gapMs > 0 else { throw .invalid("a session gap must be positive, not \(gapMs) ms") }
            window = .session
            description.writeInteger(gapMs)
        }
        description.writeByte(window.rawValue)
        keyTypes = plan.keys.map(\.expr.type)
        for type in keyTypes { description.writeByte(type.rawValue) }
        aggregates = try plan.aggregates.map(Self.kind)
        for call in plan.aggregates {
            description.writeBytes(
                Array("\(call.kind)|\(call.argument?.type.rawValue ?? 0)|\(call.resultType.rawValue);".utf8))
        }
        fingerprint = StableHash.hash(description.bytes, seed: 0x5350_4154_45)
    }

    private static func kind(_ call: AggregateCall) throws(PlanShapeError) -> AccumulatorKind {
        if case .countStar = call.kind { return .countStar }
        guard let type = call.argument?.type else { throw .invalid("\(call.kind) needs an argument") }
        switch call.kind {
        case .countStar: return .countStar
        case .count: return .count
        case .countDistinct: return .distinct(type)
        case .approxCountDistinct: return .approxDistinct(type)
        case .sum:
            guard type.isNumeric else { throw .invalid("sum takes a number, not \(type)") }
            return call.resultType == .int64 && type == .int64 ? .sumInt : .sumDouble
        case .avg:
            guard type.isNumeric else { throw .invalid("avg takes a number, not \(type)") }
            return .avg
        case .min: return .min(type)
        case .max: return .max(type)
        case .topK(let k):
            guard k > 0, k <= topKMax else { throw .invalid("top_k takes k in 1...\(topKMax), not \(k)") }
            return .topK(k: k, type)
        }
    }
}

/// A plan a task cannot run as given.
public enum PlanShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong with it.
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let detail): "the job plan cannot run: \(detail)"
        }
    }
}

import Foundation
import Testing

@testable import Wire

/// A JSON value as the test builds it; written with `JSONWriter` and compared with what an
/// independent parser (Foundation's JSONSerialization) reads back.
private indirect enum Model {
    case object([(String, Model)])
    case array([Model])
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case null

    func write(into object: inout JSONObjectWriter, key: String) {
        switch self {
        case .object(let members): object.object(key) { child in members.forEach { $1.write(into: &child, key: $0) } }
        case .array(let elements): object.array(key) { child in elements.forEach { $0.write(into: &child) } }
        case .string(let text): object.field(key, text)
        case .int(let number): object.field(key, number)
        case .uint(let number): object.field(key, number)
        case .double(let number): object.field(key, number)
        case .bool(let flag): object.field(key, flag)
        case .null: object.nullField(key)
        }
    }

    func write(into array: inout JSONArrayWriter) {
        switch self {
        case .object(let members): array.appendObject { child in members.forEach { $1.write(into: &child, key: $0) } }
        case .array(let elements): array.appendArray { child in elements.forEach { $0.write(into: &child) } }
        case .string(let text): array.append(text)
        case .int(let number): array.append(number)
        case .uint(let number): array.append(number)
        case .double(let number): array.append(number)
        case .bool(let flag): array.append(flag)
        case .null: array.appendNull()
        }
    }

    /// Why `parsed` is not this value, or nil if it is.
    func mismatch(_ parsed: Any, at path: String = "$") -> String? {
        switch self {
        case .object(let members):
            guard let dictionary = parsed as? [String: Any], dictionary.count == members.count else {
                return "\(path): expected an object of \(members.count) members, got \(parsed)"
            }
            for (key, member) in members {
                guard let found = dictionary[key] else { return "\(path): missing key \(key.debugDescription)" }
                if let why = member.mismatch(found, at: path + "." + key.debugDescription) { return why }
            }
            return nil
        case .array(let elements):
            guard let array = parsed as? [Any], array.count == elements.count else {
                return "\(path): expected an array of \(elements.count), got \(parsed)"
            }
            for (index, (element, found)) in zip(elements, array).enumerated() {
                if let why = element.mismatch(found, at: "\(path)[\(index)]") { return why }
            }
            return nil
        case .string(let text):
            let same = (parsed as? String).map { Array($0.unicodeScalars) == Array(text.unicodeScalars) } ?? false
            return same ? nil : "\(path): expected \(text.debugDescription), got \(parsed)"
        case .int(let number):
            return (parsed as? NSNumber)?.int64Value == number ? nil : "\(path): expected \(number), got \(parsed)"
        case .uint(let number):
            return (parsed as? NSNumber)?.uint64Value == number ? nil : "\(path): expected \(number), got \(parsed)"
        case .double(let number) where !number.isFinite:
            return parsed is NSNull ? nil : "\(path): expected null for \(number), got \(parsed)"
        case .double(let number):
            // Foundation keeps numbers with large exponents as NSDecimalNumber, whose doubleValue
            // rounds; its decimal text is exact, so read that instead.
            let found =
                (parsed as? NSDecimalNumber).flatMap { Double($0.description) } ?? (parsed as? NSNumber)?.doubleValue
            return found?.bitPattern == number.bitPattern || (found == 0 && number == 0)
                ? nil : "\(path): expected \(number), got \(parsed)"
        case .bool(let flag):
            return (parsed as? NSNumber)?.boolValue == flag ? nil : "\(path): expected \(flag), got \(parsed)"
        case .null:
            return parsed is NSNull ? nil : "\(path): expected null, got \(parsed)"
        }
    }
}

/// Seeded random models that lean on what JSON writers get wrong.
private struct ModelGenerator {
    var rng: BytesTestRandom

    /// Text mixing every escape JSON needs, HTML-sensitive ASCII, line separators, BMP and astral
    /// scalars. Never U+FEFF: Foundation's parser drops one that follows an escape (a BOM check on
    /// each piece it decodes), which would fail the test on the parser's account, not the writer's.
    mutating func text() -> String {
        let tricky: [UInt32] = Array(0..<0x20) + [0x22, 0x5C, 0x2F, 0x7F, 0x3C, 0x3E, 0x26, 0x2028, 0x2029]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let value: UInt32 =
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: tricky[Int.random(in: 0..<tricky.count, using: &rng)]
                case 1: UInt32.random(in: 0x20...0x7E, using: &rng)
                case 2: UInt32.random(in: 0x80...0xD7FF, using: &rng)
                case 3: UInt32.random(in: 0xE000...0xFFFD, using: &rng)
                default: UInt32.random(in: 0x10000...0x10FFFF, using: &rng)
                }
            if let scalar = Unicode.Scalar(value), value != 0xFEFF { scalars.append(scalar) }
        }
        return String(scalars)
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:
            return [.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude][
                Int.random(in: 0..<6, using: &rng)]
        case 1: return Double(Int.random(in: -1000...1000, using: &rng))
        default: return Double(bitPattern: rng.next())
        }
    }

    mutating func model(depth: Int) -> Model {
        let kind = Int.random(in: 0..<(depth > 0 ? 9 : 7), using: &rng)
        switch kind {
        case 0: return .string(text())
        case 1: return .int(rng.edgy(Int64.self))
        case 2: return .uint(rng.edgy(UInt64.self))
        case 3: return .double(double())
        case 4: return .bool(Bool.random(using: &rng))
        case 5: return .null
        case 6: return .string(text())
        case 7: return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in model(depth: depth - 1) })
        default:
            return .object(
                (0..<Int.random(in: 0...5, using: &rng)).map { index in ("\(index)" + text(), model(depth: depth - 1)) }
            )
        }
    }
}

@Suite struct JSONWriterTests {
    /// On its own thread: thousands of documents are a second of CPU in a debug build.
    @Test func randomValuesParseBackWithFoundation() async throws {
        let seed = BytesTestRandom.seed(0x4A53_4F4E)
        let failure = try await onThread("json-random") { () -> String? in
            var generator = ModelGenerator(rng: BytesTestRandom(seed: seed))
            for round in 0..<2_000 {
                let members = (0..<Int.random(in: 0...6, using: &generator.rng)).map { index in
                    ("k\(index)" + generator.text(), generator.model(depth: 3))
                }
                let bytes = JSONWriter.object { object in members.forEach { $1.write(into: &object, key: $0) } }
                let parsed = try JSONSerialization.jsonObject(with: Data(bytes))
                if let why = Model.object(members).mismatch(parsed) {
                    return "round \(round): \(why)\n\(String(decoding: bytes, as: UTF8.self))"
                }
            }
            return nil
        }
        #expect(failure == nil, "seed \(seed): \(failure ?? "")")
    }

    @Test func everyScalarClassRoundTripsAsAString() throws {
        var everyControl = String.UnicodeScalarView()
        for value in 0..<0x80 { everyControl.append(Unicode.Scalar(UInt8(value))) }
        let samples = [
            String(everyControl), "🌊🏄‍♀️ 𝄞 \u{10FFFF}", "e\u{301} \u{2028}\u{2029}", "</script><!--", "",
        ]
        let bytes = JSONWriter.array { array in samples.forEach { array.append($0) } }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String])
        #expect(parsed.map { Array($0.unicodeScalars) } == samples.map { Array($0.unicodeScalars) })
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("</script"), "the output can close an HTML script block")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }

    @Test func scalarsAndEmptyContainersAreValidJSONTexts() throws {
        #expect(String(decoding: JSONWriter.object { _ in }, as: UTF8.self) == "{}")
        #expect(String(decoding: JSONWriter.array { _ in }, as: UTF8.self) == "[]")
        #expect(String(decoding: JSONWriter.scalar(Double.nan), as: UTF8.self) == "null")
        #expect(String(decoding: JSONWriter.scalar(Int?.none), as: UTF8.self) == "null")
        let nested = JSONWriter.object { object in
            object.field("list", [1, 2, 3])
            object.field("maybe", Int?.some(4))
            object.array("empty") { _ in }
            object.object("inner") { inner in inner.field("deep", true) }
        }
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(nested)) as? [String: Any])
        #expect(parsed["list"] as? [Int] == [1, 2, 3])
        #expect(parsed["maybe"] as? Int == 4)
        #expect((parsed["empty"] as? [Any])?.isEmpty == true)
        #expect((parsed["inner"] as? [String: Any])?["deep"] as? Bool == true)
    }
}

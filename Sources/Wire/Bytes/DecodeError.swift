/// Why a decoder refused its input; every case carries the byte offset where it gave up.
public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes remained than the field needs.
    case truncated(needed: Int, available: Int, at: Int)
    /// A varint ran past its maximum encoded length.
    case varintTooLong(at: Int)
    /// A length prefix was negative where null is not allowed, or below -1.
    case invalidLength(Int, at: Int)
    /// A length prefix exceeds what the caller allows.
    case lengthTooLarge(Int, limit: Int, at: Int)
    /// A string field is not valid UTF-8.
    case invalidUTF8(at: Int)
    /// A field holds a value outside its allowed set.
    case invalidValue(String, at: Int)

    public var description: String {
        switch self {
        case .truncated(let needed, let available, let at):
            return "truncated input at byte \(at): needed \(needed) bytes, \(available) available"
        case .varintTooLong(let at):
            return "varint too long at byte \(at)"
        case .invalidLength(let length, let at):
            return "invalid length \(length) at byte \(at)"
        case .lengthTooLarge(let length, let limit, let at):
            return "length \(length) at byte \(at) exceeds the limit of \(limit)"
        case .invalidUTF8(let at):
            return "invalid UTF-8 in string at byte \(at)"
        case .invalidValue(let what, let at):
            return "invalid value at byte \(at): \(what)"
        }
    }
}

import Wire

/// Why a request frame could not be turned into a `KafkaRequest`; the broker reacts differently
/// to each: unknown key or version → answer error 35 where the API allows (ApiVersions), else
/// close; malformed → close the connection.
public enum KafkaRequestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame is shorter than the 8-byte prefix, so not even the correlation id is known.
    case truncatedPrefix(DecodeError)
    /// The api key is not one Spate serves.
    case unknownApiKey(RequestPrefix)
    /// The api key is known but this version is not accepted.
    case unsupportedVersion(ApiKey, RequestPrefix)
    /// The header or body does not parse at the requested version.
    case malformed(ApiKey, RequestPrefix, DecodeError)

    /// The prefix, when the frame was long enough to hold one.
    public var prefix: RequestPrefix? {
        switch self {
        case .truncatedPrefix: nil
        case .unknownApiKey(let prefix), .unsupportedVersion(_, let prefix), .malformed(_, let prefix, _): prefix
        }
    }

    public var description: String {
        switch self {
        case .truncatedPrefix(let error):
            "request frame too short for its header: \(error)"
        case .unknownApiKey(let prefix):
            "unknown api key \(prefix.apiKey) (version \(prefix.apiVersion), correlation id \(prefix.correlationId))"
        case .unsupportedVersion(let key, let prefix):
            "unsupported \(key) version \(prefix.apiVersion) (correlation id \(prefix.correlationId))"
        case .malformed(let key, let prefix, let error):
            "malformed \(key) v\(prefix.apiVersion) request (correlation id \(prefix.correlationId)): \(error)"
        }
    }
}

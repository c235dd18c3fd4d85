/// Splits and decodes a request target into a path and query items. Pure; no I/O.
enum HTTPRequestTarget {
    /// The decoded path and query of `target` (visible ASCII, already checked by the caller).
    static func decode(_ target: String) throws(HTTPParseError) -> (String, [HTTPQueryItem]) {
        let bytes = Array(target.utf8)
        if bytes == [UInt8(ascii: "*")] { return ("*", []) }
        guard !bytes.contains(UInt8(ascii: "#")) else { throw .invalidTarget("a fragment is not allowed") }
        let origin = try originForm(bytes)
        let question = origin.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = origin[..<(question ?? origin.endIndex)]
        let path = try percentDecoded(rawPath, plusIsSpace: false, what: "path")
        guard let question else { return (path, []) }
        return (path, try queryItems(origin[(question + 1)...]))
    }

    /// The path-and-query part: the target itself, or what follows the authority of an absolute URI.
    private static func originForm(_ bytes: [UInt8]) throws(HTTPParseError) -> ArraySlice<UInt8> {
        if bytes.first == UInt8(ascii: "/") { return bytes[...] }
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
            let afterScheme = bytes[scheme.utf8.count...]
            guard let slash = afterScheme.firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") })
            else { return [UInt8(ascii: "/")][...] }
            let rest = bytes[slash...]
            return rest.first == UInt8(ascii: "/") ? rest : ([UInt8(ascii: "/")] + rest)[...]
        }
        throw .invalidTarget("expected a path starting with '/'")
    }

    private static func queryItems(_ query: ArraySlice<UInt8>) throws(HTTPParseError) -> [HTTPQueryItem] {
        var items: [HTTPQueryItem] = []
        for piece in query.split(separator: UInt8(ascii: "&")) {
            let equals = piece.firstIndex(of: UInt8(ascii: "="))
            let name = try percentDecoded(piece[..<(equals ?? piece.endIndex)], plusIsSpace: true, what: "query")
            let value = try equals.map { (index) throws(HTTPParseError) -> String in
                try percentDecoded(piece[(index + 1)...], plusIsSpace: true, what: "query")
            }
            items.append(HTTPQueryItem(name: name, value: value ?? ""))
        }
        return items
    }

    /// Decodes `%XX` escapes (and `+` as space in queries); the result must be UTF-8 without controls.
    static func percentDecoded(_ raw: ArraySlice<UInt8>, plusIsSpace: Bool, what: String) throws(HTTPParseError)
        -> String
    {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < raw.endIndex, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
                else { throw .invalidTarget("bad percent escape in the \(what)") }
                decoded.append(high << 4 | low)
                index += 3
                continue
            }
            decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw .invalidTarget("the \(what) is not UTF-8 once decoded")
        }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalidTarget("the \(what) holds a control character once decoded")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

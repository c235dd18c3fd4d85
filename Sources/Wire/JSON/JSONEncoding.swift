/// The byte-level rules of RFC 8259 for scalars.
enum JSONEncoding {
    static func append(_ value: JSONScalarValue, to bytes: inout [UInt8]) {
        switch value {
        case .string(let text): appendString(text, to: &bytes)
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .uint(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number):
            // Swift prints the shortest text that reads back as the same Double ("0.1", "1e-07",
            // "-0.0"), which is always JSON number syntax once NaN and infinities are excluded.
            bytes.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        }
    }

    /// A quoted string. Beyond what JSON requires (quote, backslash, U+0000-U+001F) it escapes
    /// `<`, `>`, `&`, U+2028 and U+2029, as Go's encoder does, so the text is safe inside an HTML
    /// `<script>` block and as JavaScript source. Works on UTF-8 bytes: a Swift string is always
    /// valid UTF-8, so bytes that need no escape are copied as they are.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        bytes.reserveCapacity(bytes.count + text.utf8.count + 2)
        bytes.append(UInt8(ascii: "\""))
        text.withUTF8 { utf8 in
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                index += 1
                if byte == 0xE2, index + 1 < utf8.count, utf8[index] == 0x80, utf8[index + 1] & 0xFE == 0xA8 {
                    appendUnicodeEscape(utf8[index + 1] == 0xA8 ? 0x2028 : 0x2029, to: &bytes)
                    index += 2
                } else if byte >= 0x80 || !needsEscape[Int(byte)] {
                    bytes.append(byte)
                } else {
                    appendEscaped(byte, to: &bytes)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// ASCII bytes that are escaped: controls, quote, backslash and the HTML-sensitive `<`, `>`, `&`.
    private static let needsEscape: [Bool] = (0..<128).map { byte in
        byte < 0x20 || [0x22, 0x5C, 0x3C, 0x3E, 0x26].contains(byte)
    }

    private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        let short: UInt8? =
            switch byte {
            case 0x22: UInt8(ascii: "\"")
            case 0x5C: UInt8(ascii: "\\")
            case 0x08: UInt8(ascii: "b")
            case 0x0C: UInt8(ascii: "f")
            case 0x0A: UInt8(ascii: "n")
            case 0x0D: UInt8(ascii: "r")
            case 0x09: UInt8(ascii: "t")
            default: nil
            }
        if let short {
            bytes.append(contentsOf: [UInt8(ascii: "\\"), short])
        } else {
            appendUnicodeEscape(UInt32(byte), to: &bytes)
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func appendUnicodeEscape(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }
}

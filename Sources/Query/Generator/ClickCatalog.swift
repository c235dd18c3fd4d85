/// A value the generator writes: its text (the ground truth) and the bytes of its JSON string
/// body (escaped as the entry chooses, so decoders meet `\u` escapes, surrogate pairs and raw UTF-8).
struct CatalogEntry: Sendable {
    let text: String
    let json: [UInt8]

    init(_ text: String) {
        self.text = text
        json = Array(text.utf8)
    }

    init(_ text: String, json: String) {
        self.text = text
        self.json = Array(json.utf8)
    }
}

/// The fixed vocabularies of generated clicks.
enum ClickCatalog {
    /// Short but realistic user agents (shortened so an event stays near 200 bytes).
    static let userAgents: [CatalogEntry] = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/130.0",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Firefox/132.0",
        "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Firefox/128.0",
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X)",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "okhttp/4.12.0",
    ].map(CatalogEntry.init)

    /// External and internal referrers (a share of events has none).
    static let referrers: [CatalogEntry] = [
        "https://www.google.com/",
        "https://www.bing.com/search?q=shoes",
        "https://duckduckgo.com/",
        "https://news.ycombinator.com/",
        "https://t.co/x8Kd02",
        "https://shop.example.com/",
        "https://shop.example.com/products",
        "https://shop.example.com/cart",
        "https://www.facebook.com/",
        "android-app://com.google.android.gm/",
    ].map(CatalogEntry.init)

    /// URLs with escapes and non-ASCII text, placed at mid-popularity ranks.
    static let specialURLs: [CatalogEntry] = [
        CatalogEntry("/search?q=café"),
        CatalogEntry("/search?q=crème brûlée", json: "/search?q=cr\\u00e8me br\\u00FBl\\u00e9e"),
        CatalogEntry("/emoji/😀", json: "/emoji/\\ud83d\\ude00"),
        CatalogEntry("/q?term=\"quoted\"", json: "/q?term=\\\"quoted\\\""),
        CatalogEntry("/files\\index\t2", json: "/files\\\\index\\t2"),
        CatalogEntry("/wiki/Zürich/\u{1F30D}"),
    ]
    static let specialURLFirstRank = 37

    static let categories = ["shoes", "shirts", "bags", "watches", "hats", "socks", "coats"]

    /// The URL of popularity rank `rank`.
    static func url(rank: Int) -> CatalogEntry {
        switch rank {
        case 0: return CatalogEntry("/")
        case 1: return CatalogEntry("/products")
        case 2: return CatalogEntry("/cart")
        case specialURLFirstRank..<specialURLFirstRank + specialURLs.count:
            return specialURLs[rank - specialURLFirstRank]
        default:
            switch rank % 5 {
            case 0: return CatalogEntry("/products/\(10_000 + rank)")
            case 1: return CatalogEntry("/category/\(categories[rank % categories.count])?page=\(rank % 7 + 1)")
            case 2: return CatalogEntry("/blog/\(rank)-new-arrivals")
            case 3: return CatalogEntry("/api/v1/items/\(rank)")
            default: return CatalogEntry("/static/img/\(rank).png")
            }
        }
    }

    /// `u` and six digits.
    static func userId(_ user: Int) -> String {
        let digits = String(user)
        return "u" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A dotted IPv4 address drawn from `hash` (first octet 1...223, last 1...254).
    static func ip(_ hash: UInt64) -> String {
        let octets = [1 + hash % 223, hash >> 8 & 0xFF, hash >> 16 & 0xFF, 1 + (hash >> 24) % 254]
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { scratch in
            var count = 0
            for (index, octet) in octets.enumerated() {
                if index > 0 {
                    scratch[count] = UInt8(ascii: ".")
                    count += 1
                }
                count += DecimalText.write(octet, to: scratch.baseAddress! + count)
            }
            return String(decoding: UnsafeBufferPointer(rebasing: scratch[0..<count]), as: UTF8.self)
        }
    }
}

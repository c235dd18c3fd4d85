/// Reads the one line each child prints once it serves: where it listens.
enum DemoReadiness {
    /// The broker's Kafka address from "spate broker listening on HOST:PORT (data: ...)".
    static func brokerAddress(in output: String) -> String? {
        word(after: "spate broker listening on ", in: output)
    }

    /// The driver's RPC and HTTP addresses from
    /// "spate driver listening on HOST:PORT (http HOST:PORT, checkpoint ...)"; the HTTP one is nil
    /// when the driver serves none.
    static func driverAddresses(in output: String) -> (rpc: String, http: String?)? {
        guard let line = line(containing: "spate driver listening on ", in: output),
            let rpc = word(after: "spate driver listening on ", in: String(line) + "\n")
        else { return nil }
        let http = word(after: "(http ", in: String(line) + "\n").map { String($0.prefix { $0 != "," && $0 != ")" }) }
        return (rpc, http?.isEmpty == false ? http : nil)
    }

    /// The executor's shuffle address from "spate executor serving shuffle blocks on HOST:PORT, driver ...".
    static func executorAddress(in output: String) -> String? {
        word(after: "spate executor serving shuffle blocks on ", in: output).map {
            String($0.prefix { $0 != "," })
        }
    }

    /// The first complete line (ended by a newline, so never half written) holding `marker`.
    private static func line(containing marker: String, in output: String) -> Substring? {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        // The last piece has no newline after it yet.
        lines.removeLast()
        return lines.first { $0.contains(marker) }
    }

    /// The space-delimited word after `marker` on the first complete line holding it.
    private static func word(after marker: String, in output: String) -> String? {
        guard let line = line(containing: marker, in: output), let range = line.range(of: marker) else { return nil }
        let word = line[range.upperBound...].prefix { $0 != " " }
        return word.isEmpty ? nil : String(word)
    }
}

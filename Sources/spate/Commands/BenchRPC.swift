import Wire

/// Runs the RPC benchmark and prints its report as a table or one JSON object.
func runBenchRPC(json: Bool, seconds: Double) async -> Int32 {
    do {
        let report = try await RPCBenchmark.run(seconds: seconds)
        print(json ? report.json : report.text)
        return ExitCode.success
    } catch {
        StandardStreams.writeError("spate bench rpc: error: \(error)\n")
        return ExitCode.failure
    }
}

/// Runs the RPC benchmark and returns the exit code; a placeholder until the RPC layer exists.
func runBenchRPC(json: Bool, seconds: Double) async -> Int32 {
    StandardStreams.writeError("spate bench rpc: not built yet\n")
    return ExitCode.failure
}

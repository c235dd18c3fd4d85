extension HTTPRouter {
    /// Serves `registry` in Prometheus text format at `path` (GET and HEAD).
    public mutating func handleMetrics(_ registry: MetricsRegistry, at path: String = "/metrics") {
        handle(path) { _ in
            HTTPResponse(contentType: MetricsRegistry.contentType, body: Array(registry.render().utf8))
        }
    }
}

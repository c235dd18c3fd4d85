import Wire

extension DriverService {
    /// The driver's HTTP routes: `/metrics`, `/api/jobs`, `/api/jobs/ID`, `/api/executors` and `/`.
    func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.handleMetrics(metrics.registry)
        router.handle("/api/jobs") { [weak self] _ in
            .json(DriverJSON.jobList(self?.jobSnapshots ?? []))
        }
        router.handlePrefix("/api/jobs/") { [weak self] request in
            guard let self, let entry = entry(request.pathRemainder) else {
                return .json(JSONWriter.object { $0.field("error", "no such job") }, status: .notFound)
            }
            return .json(DriverJSON.job(entry, executors: cluster.executors))
        }
        router.handle("/api/executors") { [weak self] _ in
            .json(DriverJSON.executors(self?.cluster.executors ?? []))
        }
        router.handle("/") { _ in .html(DriverPage.placeholder) }
        return router
    }
}

/// The web page `GET /` serves until the real one is built.
enum DriverPage {
    static let placeholder = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Spate driver</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem;line-height:1.5}</style>
        </head><body>
        <h1>Spate driver</h1>
        <p>The live status page is not built yet. Until then, the driver answers:</p>
        <ul>
        <li><a href="/api/jobs">/api/jobs</a> &mdash; every job (JSON)</li>
        <li>/api/jobs/<i>ID</i> &mdash; one job with its plan, executors and recent progress (JSON)</li>
        <li><a href="/api/executors">/api/executors</a> &mdash; registered executors (JSON)</li>
        <li><a href="/metrics">/metrics</a> &mdash; Prometheus metrics</li>
        </ul>
        </body></html>

        """
}

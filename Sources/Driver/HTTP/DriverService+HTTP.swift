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
        router.handle("/") { _ in .html(DriverPage.html) }
        return router
    }
}

/// The driver's status page (`GET /`): one self-contained HTML document whose inline script polls
/// `/api/jobs`, `/api/executors` and `/api/jobs/ID` every second and redraws jobs, executors, a
/// chart of the selected job's rates and batch durations, and its last batches. No outside assets,
/// so it works on a machine without internet access.
///
/// Stable hooks for tests and scripts: `tr[data-job]` (with `data-state`), `tr[data-executor]`,
/// `tr[data-batch]`, `svg#chart-rates` and `svg#chart-duration` holding `circle.point` elements
/// (with `data-series` and `data-batch`), and `#status[data-status]` (`loading`, `ok`, `error`).
enum DriverPage {
    /// The whole page.
    static let html: String = head + body + "<script>\n" + DriverPageScript.source + "</script>\n</body></html>\n"

    private static let head = """
        <!doctype html>
        <html lang="en"><head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Spate driver</title>
        <style>
        \(DriverPageStyle.css)</style>
        </head>

        """

    private static let body = """
        <body>
        <header>
          <h1>Spate driver</h1>
          <span id="status" data-status="loading">loading&hellip;</span>
        </header>
        <main>
        <section>
          <h2>Jobs</h2>
          <table id="jobs">
            <thead><tr><th>Job</th><th>State</th><th class="num">Last batch</th><th class="num">Input rows/s</th>
            <th class="num">Processed rows/s</th><th class="num">Batch ms</th><th>Watermark (UTC)</th>
            <th class="num">Lag</th><th class="num">Rows in</th><th class="num">Rows out</th>
            <th class="num">Dead letters</th></tr></thead>
            <tbody></tbody>
          </table>
          <p class="empty" id="jobs-empty" hidden>No jobs. Submit one with <code>spate submit FILE.sql</code>.</p>
        </section>
        <section>
          <h2>Executors</h2>
          <table id="executors">
            <thead><tr><th>Executor</th><th>Name</th><th class="num">Slots</th><th class="num">Running tasks</th>
            <th class="num">Heartbeat age</th><th>Shuffle address</th><th class="num">PID</th></tr></thead>
            <tbody></tbody>
          </table>
          <p class="empty" id="executors-empty" hidden>No executors. Start one with
          <code>spate executor --driver HOST:PORT</code>.</p>
        </section>
        <section id="chart-section" hidden>
          <h2>Job <span id="chart-job">&ndash;</span> over the last minutes</h2>
          <div class="charts">
            <figure>
              <figcaption>Rows per second
                <span class="key input">input</span> <span class="key processed">processed</span></figcaption>
              <svg id="chart-rates" viewBox="0 0 640 200" role="img"
                aria-label="input and processed rows per second by batch"></svg>
            </figure>
            <figure>
              <figcaption>Batch duration <span class="key duration">ms, trigger to commit</span></figcaption>
              <svg id="chart-duration" viewBox="0 0 640 200" role="img" aria-label="batch duration by batch"></svg>
            </figure>
          </div>
        </section>
        <section id="batches-section" hidden>
          <h2>Last batches of <span id="batches-job">&ndash;</span></h2>
          <table id="batches">
            <thead><tr><th class="num">Batch</th><th>Trigger (UTC)</th><th class="num">Input rows</th>
            <th class="num">Input rows/s</th><th class="num">Processed rows/s</th><th class="num">Duration ms</th>
            <th>Phases ms</th><th>Watermark (UTC)</th><th class="num">Lag</th><th class="num">Rows out</th>
            <th class="num">Dead letters</th></tr></thead>
            <tbody></tbody>
          </table>
        </section>
        </main>
        <footer>JSON for scripts: <a href="/api/jobs">/api/jobs</a>, /api/jobs/<i>ID</i>,
        <a href="/api/executors">/api/executors</a>; Prometheus: <a href="/metrics">/metrics</a>.</footer>
        <noscript><p>This page draws itself with JavaScript; without it, read the JSON above.</p></noscript>

        """
}

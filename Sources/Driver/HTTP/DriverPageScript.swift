/// The status page's script. It polls the JSON API once a second (each poll starts after the last
/// one ended, so a slow driver is never flooded), keeps the points of the selected job's recent
/// batches across polls for the chart's window, and builds the DOM with `textContent` only, so no
/// value from the API is ever parsed as HTML.
enum DriverPageScript {
    static let source = #"""
        "use strict";
        const pollMs = 1000;
        const windowMs = 5 * 60 * 1000;
        const pointsMax = 2000;
        const svgNS = "http://www.w3.org/2000/svg";
        const seen = new Map(); // job id -> Map(batchId -> progress), the chart's memory across polls
        let selected = decodeURIComponent(location.hash.replace(/^#job=/, "")) || null;

        function element(tag, attributes, children) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
          for (const child of children || []) {
            node.append(child instanceof Node ? child : document.createTextNode(String(child)));
          }
          return node;
        }
        function cell(text, className) { return element("td", className ? { class: className } : {}, [text]); }
        function numberCell(text) { return cell(text, "num"); }
        function svgElement(tag, attributes) {
          const node = document.createElementNS(svgNS, tag);
          for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
          return node;
        }

        function count(n) { return n == null ? "\u2013" : Number(n).toLocaleString("en-US"); }
        function rate(x) {
          if (x == null) return "\u2013";
          return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1);
        }
        function compact(v) {
          if (v >= 1e6) return Number((v / 1e6).toFixed(2)) + "M";
          if (v >= 1e3) return Number((v / 1e3).toFixed(1)) + "k";
          return String(Number(v.toFixed(1)));
        }
        function clock(iso) { return iso ? iso.slice(11, 19) : "\u2013"; }
        function lagOf(progress) {
          const source = progress && progress.sources && progress.sources[0];
          return source && source.lag != null ? source.lag : null;
        }

        async function getJSON(path) {
          const response = await fetch(path, { cache: "no-store" });
          if (!response.ok) throw new Error(path + " answered " + response.status);
          return response.json();
        }

        function setStatus(status, text) {
          const node = document.getElementById("status");
          node.dataset.status = status;
          node.textContent = text;
        }

        function pickJob(jobs) {
          if (selected && jobs.some((job) => job.id === selected)) return selected;
          const running = jobs.find((job) => job.state === "running");
          return running ? running.id : jobs.length ? jobs[0].id : null;
        }

        function select(jobId) {
          selected = jobId;
          history.replaceState(null, "", "#job=" + encodeURIComponent(jobId));
          refreshSoon();
        }

        function renderJobs(jobs) {
          const body = document.querySelector("#jobs tbody");
          body.replaceChildren();
          for (const job of jobs) {
            const last = job.lastProgress;
            const attributes = { "data-job": job.id, "data-state": job.state, title: "chart this job" };
            const row = element("tr", attributes, [
              cell(job.id),
              element("td", {}, [element("span", { class: "state " + job.state }, [job.state])]),
              numberCell(job.lastBatchId == null ? "\u2013" : job.lastBatchId),
              numberCell(last ? rate(last.inputRowsPerSecond) : "\u2013"),
              numberCell(last ? rate(last.processedRowsPerSecond) : "\u2013"),
              numberCell(last ? count(last.durationMs.triggerExecution) : "\u2013"),
              cell(clock(job.watermark)),
              numberCell(count(lagOf(last))),
              numberCell(count(job.inputRows)),
              numberCell(count(job.outputRows)),
              numberCell(count(job.deadLetters)),
            ]);
            if (job.id === selected) row.classList.add("selected");
            row.addEventListener("click", () => select(job.id));
            body.append(row);
            if (job.failure) {
              body.append(element("tr", {}, [element("td", { colspan: "11", class: "failure" }, [job.failure])]));
            }
          }
          document.getElementById("jobs-empty").hidden = jobs.length > 0;
        }

        function renderExecutors(executors) {
          const body = document.querySelector("#executors tbody");
          body.replaceChildren();
          for (const executor of executors) {
            const ageSeconds = executor.heartbeatAgeMs / 1000;
            const age = cell(ageSeconds.toFixed(1) + " s", ageSeconds > 3 ? "num stale" : "num");
            const name = executor.name + (executor.draining ? " (leaving)" : "");
            body.append(element("tr", { "data-executor": executor.id, "data-slots": executor.slots }, [
              cell(executor.id), cell(name), numberCell(executor.slots), numberCell(executor.runningTasks),
              age, cell(executor.shuffleAddress), numberCell(executor.pid),
            ]));
          }
          document.getElementById("executors-empty").hidden = executors.length > 0;
        }

        function renderBatches(recent) {
          const body = document.querySelector("#batches tbody");
          body.replaceChildren();
          for (const progress of recent.slice(-10).reverse()) {
            const d = progress.durationMs;
            const phases = "exec " + d.execution + " \u00b7 commit " + d.commit + " \u00b7 other "
              + (d.latestOffset + d.walCommit + d.planning);
            const watermark = progress.eventTime.watermark;
            body.append(element("tr", { "data-batch": progress.batchId }, [
              numberCell(progress.batchId), cell(clock(progress.timestamp)), numberCell(count(progress.numInputRows)),
              numberCell(rate(progress.inputRowsPerSecond)), numberCell(rate(progress.processedRowsPerSecond)),
              numberCell(count(d.triggerExecution)), cell(phases), cell(watermark ? clock(watermark) : "\u2013"),
              numberCell(count(lagOf(progress))), numberCell(count(progress.sink.numOutputRows)),
              numberCell(count(progress.numDeadLetters)),
            ]));
          }
        }

        // Keeps every batch seen in this page's life (bounded), so the chart spans more than the
        // driver's last 100 records when batches are frequent.
        function remember(jobId, recent) {
          if (!seen.has(jobId)) seen.set(jobId, new Map());
          const points = seen.get(jobId);
          for (const progress of recent) points.set(progress.batchId, progress);
          const ids = [...points.keys()].sort((a, b) => a - b);
          for (const id of ids.slice(0, Math.max(0, ids.length - pointsMax))) points.delete(id);
          return [...points.values()].sort((a, b) => a.batchId - b.batchId);
        }

        function niceCeiling(value) {
          if (!(value > 0)) return 1;
          const power = Math.pow(10, Math.floor(Math.log10(value)));
          for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
          return 10 * power;
        }

        // Draws series = [{name, values: [{t, v, batch}]}] into svg as grid, polylines and points.
        function drawChart(svg, series, unit) {
          const width = 640, height = 200, left = 48, right = 12, top = 10, bottom = 24;
          svg.replaceChildren();
          const all = series.flatMap((s) => s.values);
          if (all.length === 0) {
            svg.append(text(width / 2, height / 2, "waiting for the first batch", "no-data", "middle"));
            return;
          }
          const tMax = Math.max(...all.map((p) => p.t));
          const tMin = Math.max(Math.min(...all.map((p) => p.t)), tMax - windowMs);
          const span = Math.max(tMax - tMin, 10000);
          const vMax = niceCeiling(Math.max(...all.map((p) => p.v)));
          const x = (t) => left + (width - left - right) * (1 - (tMax - t) / span);
          const y = (v) => top + (height - top - bottom) * (1 - v / vMax);
          for (const fraction of [0, 0.5, 1]) {
            const yy = y(vMax * fraction);
            svg.append(svgElement("line", { class: "grid", x1: left, x2: width - right, y1: yy, y2: yy }));
            svg.append(text(left - 6, yy + 4, compact(vMax * fraction), "axis-label", "end"));
          }
          const timeAt = (t) => new Date(t).toISOString().slice(11, 19);
          svg.append(text(left, height - 6, timeAt(tMax - span), "axis-label", "start"));
          svg.append(text((left + width - right) / 2, height - 6, timeAt(tMax - span / 2), "axis-label", "middle"));
          svg.append(text(width - right, height - 6, timeAt(tMax) + " UTC", "axis-label", "end"));
          for (const s of series) {
            const visible = s.values.filter((p) => p.t >= tMax - span);
            const coordinates = visible.map((p) => x(p.t).toFixed(1) + "," + y(p.v).toFixed(1)).join(" ");
            svg.append(svgElement("polyline", { class: "line " + s.name, points: coordinates }));
            for (const p of visible) {
              const point = svgElement("circle", {
                class: "point " + s.name, cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 2.5,
                "data-series": s.name, "data-batch": p.batch,
              });
              const title = svgElementWithText("title", "batch " + p.batch + ": " + rate(p.v) + " " + unit);
              point.append(title);
              svg.append(point);
            }
          }
        }
        function text(xx, yy, content, className, anchor) {
          const node = svgElementWithText("text", content);
          node.setAttribute("x", xx);
          node.setAttribute("y", yy);
          node.setAttribute("class", className);
          node.setAttribute("text-anchor", anchor);
          return node;
        }
        function svgElementWithText(tag, content) {
          const node = document.createElementNS(svgNS, tag);
          node.textContent = content;
          return node;
        }

        function renderChart(points) {
          const at = (p) => Date.parse(p.timestamp);
          drawChart(document.getElementById("chart-rates"), [
            { name: "input", values: points.map((p) => ({ t: at(p), v: p.inputRowsPerSecond, batch: p.batchId })) },
            {
              name: "processed",
              values: points.map((p) => ({ t: at(p), v: p.processedRowsPerSecond, batch: p.batchId })),
            },
          ], "rows/s");
          drawChart(document.getElementById("chart-duration"), [
            {
              name: "duration",
              values: points.map((p) => ({ t: at(p), v: p.durationMs.triggerExecution, batch: p.batchId })),
            },
          ], "ms");
        }

        async function refresh() {
          const [jobs, executors] = await Promise.all([getJSON("/api/jobs"), getJSON("/api/executors")]);
          selected = pickJob(jobs);
          renderJobs(jobs);
          renderExecutors(executors);
          for (const id of ["chart-job", "batches-job"]) document.getElementById(id).textContent = selected || "\u2013";
          for (const id of ["chart-section", "batches-section"]) document.getElementById(id).hidden = !selected;
          if (selected) {
            const job = await getJSON("/api/jobs/" + encodeURIComponent(selected));
            const recent = job.recentProgress || [];
            renderChart(remember(selected, recent));
            renderBatches(recent);
          } else {
            renderChart([]);
            renderBatches([]);
          }
        }

        let timer = null;
        function refreshSoon() {
          clearTimeout(timer);
          timer = setTimeout(poll, 0);
        }
        async function poll() {
          try {
            await refresh();
            setStatus("ok", "updated " + new Date().toISOString().slice(11, 19) + " UTC");
          } catch (error) {
            setStatus("error", "cannot reach the driver: " + error.message);
          }
          clearTimeout(timer);
          timer = setTimeout(poll, pollMs);
        }
        poll();

        """#
}

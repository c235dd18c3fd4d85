#!/usr/bin/env bash
# The driver's web page in a real browser while a real job runs: a broker, a driver, two executors,
# `spate gen clicks` and examples/clickstream/pv_uv.sql; headless Chromium renders `GET /` and the
# rendered DOM must show the job, both executors and a chart with points. Also scrapes the broker's
# and the driver's /metrics and checks `spate status --json`. Installs Debian's chromium if missing.
# SPATE_BIN=path uses that binary instead of building release; WEB_SCREENSHOT=file.png keeps a screenshot.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
if [ -n "${SPATE_BIN:-}" ]; then
    spate=$SPATE_BIN
else
    swift build -c release --product spate 2>&1 | grep -E "error|warning:" || true
    spate=$repo/.build/release/spate
fi

if ! command -v chromium >/dev/null; then
    echo "installing chromium (Debian package)"
    install_started=$(date +%s)
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
    echo "chromium installed in $(($(date +%s) - install_started)) s"
fi
chromium --version 2>/dev/null

work=$(mktemp -d)
pids=()
# True while $1 runs (a zombie waiting to be reaped does not count); /proc, since a clean machine may lack ps.
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ]
}
# SIGTERM, 15 s to finish, then SIGKILL; then reap.
stop_child() {
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 1 150); do running "$1" || break; sleep 0.1; done
    if running "$1"; then echo "pid $1 ignored SIGTERM for 15 s; killing it"; kill -9 "$1" 2>/dev/null || true; fi
    wait "$1" 2>/dev/null || true
}
cleanup() {
    # A second signal must not cut the cleanup short and leave children behind.
    trap "" INT TERM
    # Newest first, one at a time: the generator and executors while the broker and driver still answer.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_child "${pids[i]}"; done
    rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM
. .ci/integration/checks.sh
# Waits (30 s at most) for a line matching $2 in file $1.
await_line() {
    for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "no line matching '$2' in $1:"; cat "$1" "${1%.out}.err" 2>/dev/null; exit 1
}

cd "$work"
"$spate" broker --port 0 --http-port 0 --data-dir "$work/broker" >broker.out 2>broker.err &
pids+=($!)
await_line broker.out "metrics on"
broker=$(sed -n 's/^spate broker listening on \([0-9.]*:[0-9]*\) .*/\1/p' broker.out)
broker_metrics=$(sed -n 's/^spate broker metrics on \(http:[^ ]*\)$/\1/p' broker.out)

"$spate" driver --port 0 --http-port 0 --checkpoint-dir "$work/checkpoint" --broker "$broker" \
    >driver.out 2>driver.err &
pids+=($!)
await_line driver.out "listening on"
driver=$(sed -n 's/^spate driver listening on \([0-9.]*:[0-9]*\) .*/\1/p' driver.out)
http=$(sed -n 's/.*(http \([0-9.]*:[0-9]*\),.*/\1/p' driver.out)
echo "broker $broker ($broker_metrics), driver $driver, page http://$http/"

for n in 1 2; do
    "$spate" executor --driver "$driver" --slots 2 >"executor$n.out" 2>"executor$n.err" &
    pids+=($!)
done
"$spate" gen clicks --broker "$broker" --rate 5000 --duration 600 --seed 7 >gen.out 2>gen.err &
pids+=($!)

sed "s|path = 'out/pv_uv'|path = '$work/out/pv_uv'|" "$repo/examples/clickstream/pv_uv.sql" >pv_uv.sql
grep -q "$work/out/pv_uv" pv_uv.sql || { echo "could not rewrite the sink path"; exit 1; }
"$spate" submit --driver "$driver" pv_uv.sql

# Until three batches have committed and both executors are registered (120 s at most).
python3 - "$http" <<'PY'
import json, sys, time, urllib.request
base = f"http://{sys.argv[1]}"
deadline = time.time() + 120
while True:
    jobs = json.load(urllib.request.urlopen(f"{base}/api/jobs", timeout=10))
    executors = json.load(urllib.request.urlopen(f"{base}/api/executors", timeout=10))
    batch = jobs[0]["lastBatchId"] if jobs else None
    if batch is not None and batch >= 2 and len(executors) == 2:
        print(f"batch {batch} committed with {len(executors)} executors")
        break
    if time.time() > deadline:
        sys.exit(f"no progress in 120 s: jobs {jobs}, executors {executors}")
    time.sleep(0.5)
PY

# The page as the browser renders it after a few polls.
browser_flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
    --user-data-dir="$work/chromium" --virtual-time-budget=8000)
timeout 120 chromium "${browser_flags[@]}" --dump-dom "http://$http/" >dom.html 2>chromium.err || true
check "the rendered page shows the job, two executors and charts with points" python3 - dom.html <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
problems = []
if 'data-status="ok"' not in dom:
    problems.append("the status line is not ok: " + str(re.findall(r'<span id="status"[^>]*>[^<]*', dom)))
if not re.search(r'<tr[^>]*data-job="pv_uv"[^>]*data-state="running"', dom):
    problems.append("no running row for pv_uv")
executors = set(re.findall(r'<tr[^>]*data-executor="([^"]+)"', dom))
if len(executors) != 2:
    problems.append(f"{len(executors)} executor rows: {executors}")
for chart, series in [("chart-rates", ["input", "processed"]), ("chart-duration", ["duration"])]:
    match = re.search(f'<svg id="{chart}".*?</svg>', dom, re.S)
    svg = match.group(0) if match else ""
    for name in series:
        points = re.findall(f'<circle class="point {name}"', svg)
        if len(points) <= 1:
            problems.append(f"{chart}: {len(points)} {name} points")
if len(re.findall(r'<tr data-batch="', dom)) < 2:
    problems.append("fewer than two batches listed")
if problems:
    print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
timeout 120 chromium "${browser_flags[@]}" --hide-scrollbars --window-size=1400,1500 --screenshot="$work/page.png" \
    "http://$http/" >/dev/null 2>>chromium.err || true
check "a screenshot was taken" test -s "$work/page.png"
if [ -n "${WEB_SCREENSHOT:-}" ]; then cp "$work/page.png" "$WEB_SCREENSHOT"; fi

check "both /metrics pages answer in Prometheus text with the traffic and the job" python3 - \
    "$broker_metrics" "http://$http/metrics" <<'PY'
import sys, urllib.request
def scrape(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        if not response.headers["Content-Type"].startswith("text/plain; version=0.0.4"):
            raise SystemExit(f"{url}: content type {response.headers['Content-Type']}")
        samples = {}
        for line in response.read().decode().splitlines():
            if line and not line.startswith("#"):
                series, _, value = line.rpartition(" ")
                samples[series] = float(value)
        return samples
broker, driver = scrape(sys.argv[1]), scrape(sys.argv[2])
problems = []
def want(samples, series, test, what):
    value = samples.get(series)
    if value is None or not test(value):
        problems.append(f"{series} = {value}, want {what}")
want(broker, 'spate_broker_records_in_total{topic="website-logs"}', lambda v: v > 0, "> 0")
want(broker, 'spate_broker_bytes_in_total{topic="website-logs"}', lambda v: v > 0, "> 0")
want(broker, 'spate_broker_records_out_total{topic="website-logs"}', lambda v: v > 0, "> 0")
want(broker, 'spate_broker_requests_total{api="Produce"}', lambda v: v > 0, "> 0")
# The executors share the broker's host, so they read the segment files (local reads), not Fetch.
want(broker, 'spate_broker_local_reads_total', lambda v: v > 0, "> 0 (executors on the broker's host)")
want(broker, 'spate_broker_connections', lambda v: v >= 2, ">= 2 (driver, generator, executors)")
want(driver, 'spate_driver_batches_total{job="pv_uv"}', lambda v: v >= 3, ">= 3")
want(driver, 'spate_driver_input_rows_total{job="pv_uv"}', lambda v: v > 0, "> 0")
want(driver, 'spate_driver_executors', lambda v: v == 2, "2")
want(driver, 'spate_driver_jobs{state="running"}', lambda v: v == 1, "1")
want(driver, 'spate_driver_task_attempts_total', lambda v: v >= 3, ">= 3")
want(driver, 'spate_driver_batch_duration_seconds_count{job="pv_uv"}', lambda v: v >= 3, ">= 3")
if broker.get('spate_broker_records_out_total{topic="website-logs"}', 0) > broker.get(
        'spate_broker_records_in_total{topic="website-logs"}', 0) * 2:
    problems.append("far more records fetched than produced")
if problems:
    print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

"$spate" status --driver "$driver" --json pv_uv >status.json
check "spate status --json carries Spark-style progress records" python3 - status.json <<'PY'
import json, sys
status = json.load(open(sys.argv[1]))
recent = status["recentProgress"]
problems = [] if 3 <= len(recent) <= 100 else [f"{len(recent)} progress records"]
last = recent[-1]
for key in ["id", "batchId", "numInputRows", "inputRowsPerSecond", "processedRowsPerSecond", "numDeadLetters"]:
    if key not in last:
        problems.append(f"no {key}")
if set(last["durationMs"]) < {"latestOffset", "walCommit", "planning", "execution", "commit"}:
    problems.append(f"durationMs {last['durationMs']}")
if set(last["eventTime"]) < {"min", "max", "watermark"}:
    problems.append(f"eventTime {last['eventTime']}")
state = last["stateOperators"][0]
if set(state) < {"numRowsTotal", "numRowsUpdated", "numRowsDroppedByWatermark", "memoryUsedBytes"}:
    problems.append(f"stateOperators {state}")
source = last["sources"][0]
if set(source) < {"startOffset", "endOffset", "latestOffset", "lag"}:
    problems.append(f"sources {source}")
if "numOutputRows" not in last["sink"]:
    problems.append(f"sink {last['sink']}")
if sum(p["numInputRows"] for p in recent) <= 0:
    problems.append("no input rows")
if state["memoryUsedBytes"] <= 0 or state["numRowsTotal"] <= 0:
    problems.append(f"empty state after {len(recent)} batches: {state}")
print(f"last batch {last['batchId']}: {last['numInputRows']} rows, {last['durationMs']}, "
      f"lag {source['lag']}, state {state}")
if problems:
    print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

echo "$passed passed, $failed failed"
if [ "$failed" != 0 ]; then
    for log in driver.err executor1.err executor2.err broker.err chromium.err; do
        echo "--- $log"; tail -20 "$log"
    done
fi
[ "$failed" = 0 ]

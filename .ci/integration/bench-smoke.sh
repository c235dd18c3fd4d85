#!/usr/bin/env bash
# `spate bench query` and `spate bench cluster` run end to end on a small load and print JSON with
# every field the lead reads. No thresholds: CI machines vary; the figures belong in reports.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product spate 2>&1 | grep -E "error|warning:" || true
spate=$PWD/.build/release/spate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. .ci/integration/checks.sh

"$spate" bench query --json --events 100000 >"$work/query.json" 2>"$work/query.err" || { cat "$work/query.err"; exit 1; }
cat "$work/query.json"
check "bench query prints its fields, and the results are exact" python3 - "$work/query.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
problems = [f"missing {key}" for key in ("events", "value_bytes", "runs", "json_decode") if key not in report]
runs = report.get("runs", [])
if [run.get("threads") for run in runs] != [1, 2]:
    problems.append(f"runs for threads {[run.get('threads') for run in runs]}, not [1, 2]")
for run in runs:
    for key in ("events_per_s", "mb_per_s", "seconds", "batches", "exact", "task_seconds", "phase_seconds"):
        if key not in run:
            problems.append(f"run {run.get('threads')}: missing {key}")
    if run.get("events") != report.get("events"):
        problems.append(f"run {run.get('threads')} read {run.get('events')} of {report.get('events')} events")
    if run.get("exact") is not True:
        problems.append(f"run {run.get('threads')}: results not exact")
    if not run.get("events_per_s", 0) > 0:
        problems.append(f"run {run.get('threads')}: no rate")
if not report.get("json_decode", {}).get("mb_per_s", 0) > 0:
    problems.append("no JSON decode rate")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY

"$spate" bench cluster --json --events 100000 --paced-seconds 5 --kills 1 >"$work/cluster.json" 2>"$work/cluster.err" \
    || { cat "$work/cluster.err"; exit 1; }
cat "$work/cluster.json"
check "bench cluster prints its fields, and the results are exact" python3 - "$work/cluster.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
keys = ("events", "events_per_s", "exact", "paced_batches", "batch_ms_p50", "batch_ms_p99", "recovery_ms",
        "recovery_ms_max")
problems = [f"missing {key}" for key in keys if key not in report]
if report.get("exact") is not True:
    problems.append("results not exact")
if not report.get("events_per_s", 0) > 0:
    problems.append("no rate")
if not report.get("paced_batches", 0) > 0:
    problems.append("no batch ran under the paced load")
if len(report.get("recovery_ms", [])) != 1:
    problems.append(f"recoveries {report.get('recovery_ms')} for one kill")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
# The children run as the resolved binary (/proc/self/exe), not through the .build/release link.
check "no child of bench cluster outlives it" bash -c "! pgrep -f '$(readlink -f "$spate") (broker|driver|executor|gen) ' >/dev/null"

"$spate" bench exec --events 100000 --repeat 1 >"$work/exec.txt" 2>&1 || { cat "$work/exec.txt"; exit 1; }
cat "$work/exec.txt"
check "bench exec maps and reduces every well-formed click" grep -qE '^best: +9[0-9]{4} rows, map .* reduce ' "$work/exec.txt"

checks_summary

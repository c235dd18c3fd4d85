#!/usr/bin/env bash
# `spate gen clicks` as a user runs it: into a real `spate broker`, read back with `spate consume`,
# checked against its --truth file; then a paced run stopped with Ctrl-C (SIGINT).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product spate 2>&1 | grep -E "error|warning:" || true
spate=$PWD/.build/release/spate
work=$(mktemp -d)
broker_pid=""
cleanup() {
    if [ -n "$broker_pid" ]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
. .ci/integration/checks.sh

"$spate" broker --port 0 --data-dir "$work/broker" >"$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
for _ in $(seq 1 300); do grep -q "listening on" "$work/broker.out" 2>/dev/null && break; sleep 0.1; done
broker=$(grep -o '127\.0\.0\.1:[0-9]*' "$work/broker.out" | head -1)
[ -n "$broker" ] || { echo "the broker did not start"; cat "$work/broker.err"; exit 1; }

check "gen clicks --help names its flags" bash -c "$spate gen clicks --help | grep -q -- '--malformed-share'"
check "gen clicks rejects --count with --duration" bash -c \
    "$spate gen clicks --broker $broker --count 5 --duration 1 2>&1 | grep -q 'not both'"

"$spate" gen clicks --broker "$broker" --topic gen-check --count 5000 --rate 0 --seed 11 \
    --malformed-share 0.02 --partitions 3 --truth "$work/truth.jsonl" | tee "$work/gen.out"
check "summary line" grep -q "sent 5000 clicks to gen-check (3 partitions)" "$work/gen.out"
"$spate" consume gen-check --broker "$broker" --from-beginning --print-key --max 5000 --timeout-ms 20000 \
    >"$work/records.txt"
check "the topic holds what the truth file says was sent" python3 - "$work/records.txt" "$work/truth.jsonl" <<'PY'
import json, sys
records = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
truth = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
problems = []
if len(records) != 5000 or len(truth) != 5000:
    problems.append(f"{len(records)} records, {len(truth)} truth lines")
# Per user, the clicks arrive in the order sent (one partition per key).
sent_by_user, got_by_user = {}, {}
for line in truth:
    sent_by_user.setdefault(line["user_id"], []).append(line)
unreadable = missing_ts = 0
for record in records:
    key, _, value = record.partition(b"\t")
    try:
        event = json.loads(value.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        unreadable += 1
        got_by_user.setdefault(key.decode(), []).append(None)
        continue
    if "ts" not in event:
        missing_ts += 1
    if event.get("user_id") != key.decode():
        problems.append(f"key {key!r} is not the user id of {value[:80]!r}")
    got_by_user.setdefault(key.decode(), []).append(event)
for user, sent in sent_by_user.items():
    got = got_by_user.get(user, [])
    if len(got) != len(sent):
        problems.append(f"user {user}: {len(got)} records, {len(sent)} sent")
        continue
    for want, event in zip(sent, got):
        if event is not None and (event.get("url"), event.get("ip")) != (want["url"], want["ip"]):
            problems.append(f"user {user}: {event} is not {want}")
defects = [line.get("defect") for line in truth if "defect" in line]
if unreadable != sum(d in ("truncated", "invalidUTF8") for d in defects):
    problems.append(f"{unreadable} unreadable records, truth says {defects.count('truncated')} truncated "
                    f"and {defects.count('invalidUTF8')} invalid UTF-8")
if missing_ts != defects.count("missingTimestamp"):
    problems.append(f"{missing_ts} records without ts, truth says {defects.count('missingTimestamp')}")
if not 0.01 <= len(defects) / 5000 <= 0.03:
    problems.append(f"{len(defects)} malformed of 5000 for --malformed-share 0.02")
if problems:
    print("\n".join(problems[:10]))
sys.exit(1 if problems else 0)
PY

# A paced run stopped by SIGINT flushes, prints its summary and exits 0.
"$spate" gen clicks --broker "$broker" --topic gen-paced --rate 2000 >"$work/paced.out" &
gen_pid=$!
for _ in $(seq 1 300); do grep -q "producing clicks" "$work/paced.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
kill -INT "$gen_pid"
set +e; wait "$gen_pid"; gen_status=$?; set -e
cat "$work/paced.out"
check "SIGINT stops gen with exit code 0" test "$gen_status" = 0
check "SIGINT summary says interrupted" grep -q "(interrupted)" "$work/paced.out"
sent=$(grep -o 'sent [0-9]* clicks to' "$work/paced.out" | grep -o '[0-9]*')
"$spate" consume gen-paced --broker "$broker" --from-beginning --max $((sent + 1)) --timeout-ms 3000 >"$work/paced.txt"
check "everything the interrupted run counted is in the topic" test "$(wc -l <"$work/paced.txt")" = "$sent"

checks_summary

#!/usr/bin/env bash
# The spate binary as a user runs it: help, version, usage errors, and the RPC benchmark's JSON.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product spate 2>&1 | grep -E "error|warning:" || true
spate=.build/release/spate
. .ci/integration/checks.sh
expect_exit() { local want=$1; shift; set +e; "$@" >/dev/null 2>&1; local got=$?; set -e; [ "$got" = "$want" ]; }

check "help lists bench" bash -c "$spate --help | grep -q bench"
check "version" bash -c "$spate --version | grep -qE '^spate [0-9]+\.[0-9]+\.[0-9]+'"
check "unknown command exits 2" expect_exit 2 $spate no-such-command
check "unknown flag exits 2 with a suggestion" bash -c "$spate bench rpc --jsn 2>&1 | grep -q 'did you mean --json'"
bad_sql=$(mktemp --suffix=.sql)
trap 'rm -f "$bad_sql"' EXIT
printf "CREATE STREAM clicks (ts TIMESTAMP, url STRING) WITH (topic = 'w', event_time = 'ts');\nCREATE SINK out WITH (type = 'console');\nINSERT INTO out SELECT count(DISTINCT usr) AS uv FROM clicks;\n" >"$bad_sql"
check "bad SQL: exit 1 before connecting" expect_exit 1 $spate run --local --broker 127.0.0.1:1 "$bad_sql"
check "bad SQL: line:column, the caret and the columns that exist" bash -c \
    "$spate run --local --broker 127.0.0.1:1 $bad_sql 2>&1 | grep -q ':3:39: error: unknown column .usr.; columns: ts, url'"
json=$($spate bench rpc --seconds 0.3 --json)
echo "$json"
check "bench rpc prints every figure as JSON" python3 - "$json" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
keys = ["round_trips_per_s_1_in_flight", "round_trips_per_s_64_in_flight", "bulk_rpc_mb_per_s",
        "bulk_rpc_unchecked_mb_per_s", "raw_socket_mb_per_s", "bulk_percent_of_raw", "latency_p99_us"]
missing = [k for k in keys if k not in report or not report[k] > 0]
sys.exit(1 if missing else 0)
PY
checks_summary

#!/usr/bin/env bash
# Issue 5's integration tests with real processes: `spate broker`, `spate driver`, `spate executor`,
# `spate submit`, `spate gen clicks`, `spate status`, killed with kill -9 and restarted, one executor in
# its own network namespace (as root; skipped with a plain message where namespaces cannot be made).
# The harness, runtime.py, checks every result against `spate gen clicks --truth` with plain Python.
# Every port is picked by the kernel (port 0), so 9092 stays free for the conformance suite.
# Usage: runtime.sh [TEST ...]   (basic kill_executors kill_driver scale_out frozen_executor netns; default all)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
build_log=$(mktemp)
pids=$(mktemp)
spate=$PWD/.build/release/spate
export SPATE_IT_PIDS=$pids SPATE_IT_NETNS_TAG=$$
# The harness stops its children and removes its namespace itself; this is for when it is killed.
cleanup() {
    # Only processes still running this build's spate: a pid of a child already reaped may be reused.
    while read -r pid; do
        [ -r "/proc/$pid/cmdline" ] || continue
        if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "^$spate "; then kill -9 "$pid" 2>/dev/null || true; fi
    done <"$pids"
    ip link del "spth$$" 2>/dev/null || true
    ip netns del "spate-it-$$" 2>/dev/null || true
    rm -f "$build_log" "$pids"
}
trap cleanup EXIT
if ! swift build -c release --product spate >"$build_log" 2>&1; then
    grep -E "error" "$build_log" | head -20; echo "the release build failed"; exit 1
fi
python3 .ci/integration/runtime.py "$spate" "$@"

#!/usr/bin/env bash
# The broker's conformance suite: real Kafka clients from PyPI (kafka-python and confluent-kafka, pinned in
# requirements.txt) against `spate broker`. Each test starts its own broker on a fresh data directory
# and kills it at the end; then a tiny run of benchmarks/broker.py keeps the benchmark from rotting.
# Prints ok/FAIL and the duration per test, then "N passed, N failed"; exits 1 on any failure.
#
#   bash .ci/conformance/broker.sh [TEST_NAME_SUBSTRING...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/opt/swift/usr/bin:$PATH"
suite=.ci/conformance

echo "building the release binary (swift build -c release --product spate)"
build_log=$(mktemp)
if ! swift build -c release --product spate >"$build_log" 2>&1; then
    tail -40 "$build_log"; echo "release build failed"; exit 1
fi
rm -f "$build_log"
export SPATE_BIN="$PWD/.build/release/spate"

# The venv is cached: pip runs only when the pinned versions are not already installed.
python=.venv/bin/python
if [ ! -x "$python" ]; then
    echo "creating .venv"
    python3 -m venv .venv
fi
pinned=$(grep -E '^[a-z-]+==' "$suite/requirements.txt" | tr '\n' ' ')
if ! "$python" - $pinned <<'PY' 2>/dev/null; then
import sys
from importlib.metadata import version
sys.exit(0 if all(version(p.split("==")[0]) == p.split("==")[1] for p in sys.argv[1:]) else 1)
PY
    echo "installing $pinned into .venv"
    "$python" -m pip install -q --disable-pip-version-check -r "$suite/requirements.txt"
fi
"$python" -c 'import kafka, confluent_kafka; print("clients: kafka-python", kafka.__version__, "/ confluent-kafka",
    confluent_kafka.version(), "with librdkafka", confluent_kafka.libversion()[0])'

passed=0
failed=0
run_case() {
    local name=$1; shift
    local started log status
    started=$(date +%s.%N)
    log=$(mktemp)
    echo "---- $name"
    # The timeout is a safety net for a hang; every test normally finishes in well under a minute.
    set +e
    (cd "$suite" && timeout -k 10 600 "$@") 2>"$log"
    status=$?
    set -e
    local seconds
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ "$status" = 0 ]; then
        passed=$((passed + 1)); echo "ok   $name (${seconds} s)"
    else
        failed=$((failed + 1)); echo "FAIL $name (${seconds} s, exit $status); its stderr ends with:"
        tail -40 "$log"
    fi
    rm -f "$log"
}

filters=("$@")
selected() {
    [ "${#filters[@]}" -eq 0 ] && return 0
    for pattern in "${filters[@]}"; do [[ "$1" == *"$pattern"* ]] && return 0; done
    return 1
}

for test in "$suite"/test_*.py "$suite"/bench_smoke.py; do
    name=$(basename "$test" .py)
    if selected "$name"; then run_case "$name" "$PWD/$python" "$(basename "$test")"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

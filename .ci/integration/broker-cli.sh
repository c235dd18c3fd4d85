#!/usr/bin/env bash
# spate topics / produce / consume against a real `spate broker` process on a free port.
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

"$spate" broker --port 0 --data-dir "$work/data" --group-initial-delay-ms 0 >"$work/broker.out" 2>"$work/broker.err" &
broker_pid=$!
for _ in $(seq 1 300); do
    grep -q "listening on" "$work/broker.out" 2>/dev/null && break
    sleep 0.1
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/broker.out" | head -1)
[ -n "$port" ] || { echo "the broker did not report a port"; cat "$work/broker.err"; exit 1; }
broker="--broker 127.0.0.1:$port"
echo "broker pid $broker_pid on port $port"

. .ci/integration/checks.sh
expect_exit() { local want=$1; shift; set +e; "$@" >/dev/null 2>&1; local got=$?; set -e; [ "$got" = "$want" ]; }

check "create a topic" bash -c "$spate topics create events --partitions 3 $broker | grep -qx 'created topic events with 3 partitions'"
check "a duplicate create exits 1" expect_exit 1 $spate topics create events --partitions 3 $broker
check "a duplicate create says so" bash -c "$spate topics create events $broker 2>&1 | grep -q 'already exists'"
check "list shows the topic" bash -c "$spate topics list $broker | grep -qx events"
check "describe shows three empty partitions" bash -c \
    "$spate topics describe events $broker | awk 'NR>2 && \$3==0 && \$4==0' | wc -l | grep -qx 3"

# 30 JSON lines from 10 users (spread 3/9/18 over the partitions); the key is the user field.
python3 -c '
import json
for i in range(30):
    print(json.dumps({"user": "user-%d" % (i % 10), "seq": i}))
' >"$work/lines"
check "produce reads every line" bash -c "$spate produce events --key-field user $broker <'$work/lines' | grep -qx 'produced 30 records to events'"

# Where Kafka's default partitioner puts each key, computed here with an independent murmur2.
"$spate" topics describe events $broker >"$work/describe"
check "keyed records land on murmur2(key) % 3, as Java clients place them" python3 - "$work/lines" "$work/describe" <<'PY'
import json, sys
def murmur2(data):
    m, r, h = 0x5bd1e995, 24, (0x9747b28c ^ len(data)) & 0xffffffff
    n = len(data) // 4
    for i in range(n):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (k * m) & 0xffffffff; k ^= k >> r; k = (k * m) & 0xffffffff
        h = (h * m) & 0xffffffff; h ^= k
    tail = data[4 * n:]
    if len(tail) >= 3: h ^= tail[2] << 16
    if len(tail) >= 2: h ^= tail[1] << 8
    if len(tail) >= 1: h ^= tail[0]; h = (h * m) & 0xffffffff
    h ^= h >> 13; h = (h * m) & 0xffffffff; h ^= h >> 15
    return h
expected = [0, 0, 0]
for line in open(sys.argv[1]):
    expected[(murmur2(json.loads(line)["user"].encode()) & 0x7fffffff) % 3] += 1
rows = [l.split() for l in open(sys.argv[2]).read().splitlines()[2:]]
actual = [int(row[3]) for row in sorted(rows, key=lambda row: int(row[0]))]
print("expected", expected, "actual", actual)
sys.exit(0 if actual == expected else 1)
PY

"$spate" consume events --from-beginning --max 30 $broker >"$work/all"
check "consume --from-beginning --max 30 returns every line" bash -c "diff <(sort '$work/lines') <(sort '$work/all')"
check "--print-key prints key TAB value" bash -c \
    "$spate consume events --from-beginning --max 1 --print-key $broker | grep -qP '^user-[0-9]\t\{'"
check "--timeout-ms ends a quiet consume with exit 0" bash -c \
    "$spate consume events --from-beginning --timeout-ms 1000 $broker | wc -l | grep -qx 30"

"$spate" consume events --group readers --from-beginning --max 12 $broker >"$work/first"
"$spate" consume events --group readers --from-beginning --timeout-ms 2000 $broker >"$work/second"
check "the first group run read 12" bash -c "[ \$(wc -l <'$work/first') = 12 ]"
check "the second group run starts where the first committed" bash -c \
    "[ \$(wc -l <'$work/second') = 18 ] && diff <(sort '$work/lines') <(sort '$work/first' '$work/second')"

python3 -c 'print("small"); print("x" * (2 << 20)); print("after")' >"$work/oversized"
check "an oversized line fails alone with exit 1" expect_exit 1 $spate produce big $broker <"$work/oversized"
check "the lines around it were produced" bash -c \
    "[ \"\$($spate consume big --from-beginning --max 2 --timeout-ms 3000 $broker | sort | tr '\n' ' ')\" = 'after small ' ]"
check "an unknown topic exits 1" expect_exit 1 $spate consume missing --max 1 $broker
check "an unknown topic is named" bash -c "$spate consume missing --max 1 $broker 2>&1 | grep -q \"unknown topic 'missing'\""
check "a bad --broker is a usage error" expect_exit 2 $spate topics list --broker nonsense
check "an unreachable broker is named" bash -c \
    "$spate topics list --broker 127.0.0.1:1 2>&1 | grep -q 'cannot reach the broker at 127.0.0.1:1.*spate broker'"

checks_summary

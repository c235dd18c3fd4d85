#!/usr/bin/env bash
# `spate demo` as the README's quick start runs it: closed windows with page views appear within
# --duration 20, it exits 0 and leaves no process behind; then a run stopped with Ctrl-C (SIGINT)
# once windows appeared, which must also exit 0 and leave nothing behind.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product spate 2>&1 | grep -E "error|warning:" || true
spate=$PWD/.build/release/spate
work=$(mktemp -d)
demo_pid=""
cleanup() {
    if [ -n "$demo_pid" ]; then kill -TERM "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
. .ci/integration/checks.sh

# Every process the demo started carries SPATE_PARENT_PID=<demo pid> in its environment, which
# finds them even after the demo is gone and they were handed to init.
children_of() {
    local parent=$1 environ
    for environ in /proc/[0-9]*/environ; do
        if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qx "SPATE_PARENT_PID=$parent"; then
            echo "${environ%/environ}"
        fi
    done
}
no_children_left() {
    local left
    left=$(children_of "$1")
    [ -z "$left" ] || { echo "left behind: $left"; for p in $left; do tr '\0' ' ' <"$p/cmdline"; echo; done; false; }
}
# A "window <date> <time> pv N uv N ips N" line with N > 0 pages.
windows_with_pages() { grep -qE '^window [0-9-]+ [0-9:]+ pv [1-9][0-9]* uv [0-9]+ ips [0-9]+$' "$1"; }

# 1. The quick start, with --duration 20 (the README's test command).
"$spate" demo --duration 20 --plain >"$work/run.out" 2>"$work/run.err" &
demo_pid=$!
seen=0
for _ in $(seq 1 240); do
    kill -0 "$demo_pid" 2>/dev/null || break
    count=$(children_of "$demo_pid" | wc -l)
    [ "$count" -le "$seen" ] || seen=$count
    sleep 0.5
done
set +e; wait "$demo_pid"; status=$?; set -e
first_pid=$demo_pid
demo_pid=""
cat "$work/run.out"
[ -s "$work/run.err" ] && { echo "--- stderr"; cat "$work/run.err"; }
check "the demo with --duration 20 exits 0" test "$status" = 0
check "it printed the web page's address" grep -qE '^spate demo: web page: http://127\.0\.0\.1:[0-9]+/$' "$work/run.out"
check "it printed progress lines" grep -qE '^batch [0-9]+ \| in [0-9]+ rows/s \| processed [0-9]+ rows/s \| [0-9]+ ms \| watermark [0-9:]+ \| lag [0-9]+$' "$work/run.out"
check "closed windows with page views appeared" windows_with_pages "$work/run.out"
check "four child processes ran (saw $seen)" test "$seen" = 4
check "no child process is left after --duration" no_children_left "$first_pid"
data=$(sed -n 's/^spate demo: data in \([^;]*\);.*/\1/p' "$work/run.out" | head -1)
check "its temporary directory is removed" test -n "$data" -a ! -e "$data"

# 2. Ctrl-C once windows appeared.
"$spate" demo --plain --http-port 0 >"$work/int.out" 2>"$work/int.err" &
demo_pid=$!
for _ in $(seq 1 900); do
    windows_with_pages "$work/int.out" >/dev/null && break
    kill -0 "$demo_pid" 2>/dev/null || break
    sleep 0.1
done
seen=$(children_of "$demo_pid" | wc -l)
kill -INT "$demo_pid"
set +e; wait "$demo_pid"; status=$?; set -e
second_pid=$demo_pid
demo_pid=""
cat "$work/int.out"
[ -s "$work/int.err" ] && { echo "--- stderr"; cat "$work/int.err"; }
check "windows appeared before Ctrl-C" windows_with_pages "$work/int.out"
check "four child processes ran (saw $seen)" test "$seen" = 4
check "Ctrl-C ends the demo with exit code 0" test "$status" = 0
check "no child process is left after Ctrl-C" no_children_left "$second_pid"

checks_summary

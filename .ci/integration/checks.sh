# Sourced by the integration scripts: named checks, counted, and the summary line.
passed=0
failed=0

# Runs "$@" as the check `$1`, printing ok or FAIL and counting it.
check() {
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}

# Prints the counts; true only when no check failed.
checks_summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
}

"""A tiny run of benchmarks/broker.py (20,000 records, both clients) so the benchmark cannot rot:
it must finish, and its JSON must carry every figure for both clients.
"""

import json
import os
import subprocess
import sys

from harness import REPO, SPATE, check, log

RECORDS = 20_000


def main():
    script = os.path.join(REPO, "benchmarks", "broker.py")
    result = subprocess.run([sys.executable, script, "--records", str(RECORDS), "--json", "--spate", SPATE],
                            capture_output=True, text=True, timeout=540)
    check(result.returncode == 0, f"benchmarks/broker.py exited {result.returncode}:\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    check(report["records"] == RECORDS, f"the report is for {report['records']} records")
    clients = [run["client"] for run in report["runs"]]
    check(clients == ["python", "c"], f"the report covers clients {clients}, expected python and c")
    for run in report["runs"]:
        for phase in ("produce", "consume"):
            figures = run[phase]
            check(figures["records_per_s"] > 0 and figures["mb_per_s"] > 0 and figures["seconds"] > 0,
                  f"{run['client']} {phase}: figures missing or zero: {figures}")
            check(figures["broker_cpu_s"] >= 0 and "load_avg_1m" in figures, f"{run['client']} {phase}: {figures}")
        check(run["broker_peak_rss_mb"] > 0, f"{run['client']}: no broker RSS")
        log(f"{run['library']}: produce {run['produce']['records_per_s']:,}/s, "
            f"consume {run['consume']['records_per_s']:,}/s, broker peak RSS {run['broker_peak_rss_mb']} MB")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:
        print(f"    FAILED: {error}", flush=True)
        sys.exit(1)

#!/usr/bin/env python3
"""Issue 5's integration tests: the runtime as separate, real processes (broker, driver, executors,
CLI) running examples/clickstream/pv_uv.sql while executors and the driver are killed, an executor
joins mid-run and one runs in its own network namespace. Every expected figure is recomputed here from
`spate gen clicks --truth` with plain loops and sets; the results are read from the file sink's
committed batch files (those `_spate_manifest` lists) and from the `<job>.dlq` topic (with headers).

Usage: runtime.py SPATE_BINARY [TEST ...]
  (tests: basic kill_executors kill_driver scale_out frozen_executor netns; default all)
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafkafetch  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PV_UV = os.path.join(ROOT, "examples", "clickstream", "pv_uv.sql")
DEADLINE_S = 90


class Failure(Exception):
    pass


class Process:
    """A child process whose stdout and stderr go to files in the test's directory."""

    def __init__(self, name, args, directory, env=None):
        self.name = name
        self.out = os.path.join(directory, f"{name}.out")
        self.err = os.path.join(directory, f"{name}.err")
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.popen = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=directory,
                                          env=env, start_new_session=True)
        if os.environ.get("SPATE_IT_PIDS"):  # runtime.sh kills these should this harness itself be killed
            with open(os.environ["SPATE_IT_PIDS"], "a") as pids:
                pids.write(f"{self.popen.pid}\n")

    def alive(self):
        return self.popen.poll() is None

    def text(self):
        with open(self.out, errors="replace") as out, open(self.err, errors="replace") as err:
            return out.read() + err.read()

    def wait_for(self, pattern, timeout_s=DEADLINE_S):
        """The first match of `pattern` in the process's output, polled until it appears."""
        deadline = time.time() + timeout_s
        while True:
            match = re.search(pattern, self.text())
            if match:
                return match
            if not self.alive():
                raise Failure(f"{self.name} exited ({self.popen.returncode}) before printing /{pattern}/")
            if time.time() > deadline:
                raise Failure(f"{self.name} did not print /{pattern}/ within {timeout_s} s")
            time.sleep(0.05)

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
        try:
            self.popen.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def tail(self, lines=25):
        text = self.text().splitlines()
        return "\n".join(f"    {line}" for line in text[-lines:])


class Cluster:
    """A broker, a driver and executors for one test, all under one temporary directory."""

    def __init__(self, spate, directory, host="127.0.0.1", secret=None):
        self.spate = spate
        self.dir = directory
        self.host = host
        self.secret = secret
        self.processes = []
        self.counts = {}
        self.env = dict(os.environ)
        if secret:
            self.env["SPATE_SECRET"] = secret
        self.broker = self.driver = self.driver_address = self.http_address = None
        self.executors = []

    def spawn(self, kind, args, prefix=()):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        process = Process(f"{kind}{self.counts[kind]}", [*prefix, self.spate, *args], self.dir, self.env)
        self.processes.append(process)
        return process

    def run(self, args, timeout_s=DEADLINE_S):
        """A CLI command run to completion; its stdout."""
        result = subprocess.run([self.spate, *args], capture_output=True, text=True, timeout=timeout_s, cwd=self.dir,
                                env=self.env)
        if result.returncode != 0:
            raise Failure(f"spate {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout

    def start_broker(self, bind="127.0.0.1"):
        self.broker = self.spawn("broker", ["broker", "--port", "0", "--bind", bind, "--advertise", self.host,
                                            "--data-dir", os.path.join(self.dir, "broker")])
        port = self.broker.wait_for(r"listening on [^ ]*:(\d+)").group(1)
        self.broker_address = f"{self.host}:{port}"

    def start_driver(self, port=0, extra=()):
        driver = self.spawn("driver", ["driver", "--checkpoint-dir", os.path.join(self.dir, "checkpoint"),
                                       "--broker", self.broker_address, "--port", str(port), "--http-port", "0",
                                       "--bind", self.host, *extra])
        match = driver.wait_for(r"listening on ([^ ]+) \(http ([^ ,]+)")
        self.driver, self.driver_address, self.http_address = driver, match.group(1), match.group(2)
        return driver

    def start_executor(self, prefix=(), bind=None, advertise=None, driver=None, slots=1):
        args = ["executor", "--driver", driver or self.driver_address, "--slots", str(slots)]
        if bind:
            args += ["--bind", bind]
        if advertise:
            args += ["--advertise", advertise]
        executor = self.spawn("executor", args, prefix)
        executor.wait_for(r"serving shuffle blocks on")
        self.executors.append(executor)
        return executor

    def gen(self, count=None, rate=0, duration=None, seed=1, malformed=0.02):
        """`spate gen clicks` into website-logs with a truth file; the process (it may still run)."""
        args = ["gen", "clicks", "--broker", self.broker_address, "--rate", str(rate), "--seed", str(seed),
                "--malformed-share", str(malformed), "--partitions", "3", "--truth",
                os.path.join(self.dir, "truth.jsonl")]
        args += ["--count", str(count)] if count else ["--duration", str(duration)]
        return self.spawn("gen", args)

    def close_windows(self, truth):
        """One click a minute after the last one: its watermark closes every window of the stream."""
        last = max(line["ts"] for line in truth)
        closer = json.dumps({"ts": last + 60_000, "ip": "1.1.1.1", "user_id": "closer", "status": 200})
        result = subprocess.run([self.spate, "produce", "website-logs", "--broker", self.broker_address],
                                input=closer + "\n", capture_output=True, text=True, timeout=DEADLINE_S)
        if result.returncode != 0:
            raise Failure(f"spate produce failed: {result.stderr.strip()}")

    def submit(self, sql=PV_UV, name="pv_uv"):
        job = self.run(["submit", "--driver", self.driver_address, "--name", name, sql]).strip()
        if job != name:
            raise Failure(f"spate submit printed {job!r}, not the job id {name!r}")
        return job

    def status(self, job):
        return json.loads(self.run(["status", "--driver", self.driver_address, "--json", job]))

    def http(self, path):
        with urllib.request.urlopen(f"http://{self.http_address}{path}", timeout=30) as response:
            return json.loads(response.read())

    def sink_rows(self, sink="out/pv_uv"):
        """The rows of every batch file the manifest lists, as (window start ms, pv, uv, ips)."""
        directory = os.path.join(self.dir, sink)
        try:
            with open(os.path.join(directory, "_spate_manifest")) as manifest:
                lines = manifest.read().splitlines()
        except FileNotFoundError:
            return [], []
        if lines[0] != "spate-manifest v1":
            raise Failure(f"the manifest starts with {lines[0]!r}")
        rows = []
        for name in lines[1:]:
            with open(os.path.join(directory, name)) as batch:
                for line in batch:
                    row = json.loads(line)
                    rows.append((epoch_ms(row["window_start"]), row["pv"], row["uv"], row["ips"]))
        return rows, lines[1:]

    def dead_letters(self, job="pv_uv"):
        return kafkafetch.read_topic(self.broker_address, f"{job}.dlq")

    def stop(self):
        for process in reversed(self.processes):
            process.kill(signal.SIGKILL)

    def logs(self):
        return "\n".join(f"--- {p.name} ({'running' if p.alive() else f'exit {p.popen.returncode}'})\n{p.tail()}"
                         for p in self.processes)


def epoch_ms(iso):
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def read_truth(path):
    with open(path) as truth:
        return [json.loads(line) for line in truth]


def expected_rows(truth):
    """(window start, pv, uv, ips) per 10-second window of the well-formed clicks with status < 500."""
    pv, users, ips = {}, {}, {}
    for line in truth:
        if "defect" in line or line["status"] >= 500:
            continue
        start = line["ts"] - line["ts"] % 10_000
        pv[start] = pv.get(start, 0) + 1
        users.setdefault(start, set()).add(line["user_id"])
        ips.setdefault(start, set()).add(line["ip"])
    return sorted((start, pv[start], len(users[start]), len(ips[start])) for start in pv)


def expected_dead_letters(truth):
    """{(partition, offset): reason} of the malformed lines; offsets count lines per partition."""
    letters, next_offset = {}, {}
    for line in truth:
        offset = next_offset.get(line["partition"], 0)
        next_offset[line["partition"]] = offset + 1
        if "defect" in line:
            letters[(line["partition"], offset)] = line["reason"]
    return letters


def wait_gen(cluster, gen, timeout_s=DEADLINE_S):
    gen.wait_for(r"sent \d+ clicks to", timeout_s)
    gen.popen.wait(timeout=timeout_s)
    if gen.popen.returncode != 0:
        raise Failure(f"spate gen clicks exited {gen.popen.returncode}")
    truth = read_truth(os.path.join(cluster.dir, "truth.jsonl"))
    sent = int(re.search(r"sent (\d+) clicks to", gen.text()).group(1))
    if len(truth) != sent:
        raise Failure(f"the truth file has {len(truth)} lines, gen says it sent {sent}")
    return truth


def check_results(cluster, truth, job="pv_uv", timeout_s=DEADLINE_S):
    """Polls until the sink holds a row for every expected window and the DLQ a letter per malformed
    line, then checks both exactly: no window twice, every count right, every letter once with its
    reason."""
    rows_expected = expected_rows(truth)
    letters_expected = expected_dead_letters(truth)
    if len(rows_expected) < 2 or not letters_expected:
        raise Failure(f"the stream is too small to test: {len(rows_expected)} windows, {len(letters_expected)} malformed")
    deadline = time.time() + timeout_s
    while True:
        rows, files = cluster.sink_rows()
        letters = cluster.dead_letters(job)
        if len(rows) >= len(rows_expected) and len(letters) >= len(letters_expected):
            break
        if time.time() > deadline:
            raise Failure(f"after {timeout_s} s the sink has {len(rows)} of {len(rows_expected)} windows and the DLQ "
                          f"{len(letters)} of {len(letters_expected)} letters")
        time.sleep(0.2)
    problems = []
    starts = [row[0] for row in rows]
    duplicates = sorted({start for start in starts if starts.count(start) > 1})
    if duplicates:
        problems.append(f"windows written more than once: {duplicates[:5]}")
    if len(files) != len(set(files)):
        problems.append(f"the manifest lists a file twice: {files}")
    if sorted(rows) != rows_expected:
        got, want = set(rows), set(rows_expected)
        problems.append(f"{len(rows)} rows, {len(rows_expected)} expected; unexpected {sorted(got - want)[:4]}, "
                        f"missing {sorted(want - got)[:4]}")
    seen = {}
    for _, _, _, _, headers in letters:
        key = (int(headers["partition"]), int(headers["offset"]))
        seen[key] = seen.get(key, 0) + 1
        reason = headers["reason"].decode().split(":")[0]  # "bad_value: column status: not a number"
        if letters_expected.get(key) != reason:
            problems.append(f"dead letter for {key} says {reason}, truth says {letters_expected.get(key)}")
    if len(letters) != len(letters_expected):
        problems.append(f"{len(letters)} dead letters, {len(letters_expected)} malformed lines sent")
    twice = [key for key, count in seen.items() if count > 1]
    if twice:
        problems.append(f"dead letters written more than once: {twice[:5]}")
    if problems:
        raise Failure("; ".join(problems[:8]))
    return len(rows), len(letters)


# The tests -------------------------------------------------------------------------------------------------

def test_basic(cluster):
    """pv_uv.sql with a broker, a driver and two executors (two slots each, so tasks run side by
    side in one process): sink rows and dead letters are exact, and so are status's counts."""
    cluster.start_broker()
    cluster.start_driver()
    cluster.start_executor(slots=2)
    cluster.start_executor(slots=2)
    cluster.submit()
    truth = wait_gen(cluster, cluster.gen(rate=2_500, duration=12, seed=11))
    cluster.close_windows(truth)
    rows, letters = check_results(cluster, truth)
    # What `spate status --json` counts agrees, once the last batch's numbers are in.
    wanted = {"state": "running", "outputRows": rows, "deadLetters": letters, "inputRows": len(truth) + 1}
    status = {}

    def status_agrees():
        status.update(cluster.status("pv_uv"))
        return {key: status.get(key) for key in wanted} == wanted

    try:
        wait_until(status_agrees, "status agreeing with the sink")
    except Failure:
        raise Failure(f"spate status --json says { {key: status.get(key) for key in wanted} }, not {wanted}")
    return f"{rows} windows, {letters} dead letters, {status['batchesCommitted']} batches"


def test_kill_executors(cluster):
    """kill -9 a random executor every 2 s for 30 s while clicks are produced, a fresh one started
    each time: exact rows, no window twice, exact dead letters."""
    cluster.start_broker()
    cluster.start_driver()
    cluster.start_executor()
    cluster.start_executor()
    gen = cluster.gen(rate=1_500, duration=34, seed=22)
    gen.wait_for(r"producing clicks")
    cluster.submit()
    seed = int(os.environ.get("SPATE_IT_SEED", time.time_ns() % 1_000_000))
    print(f"     kill_executors: victims chosen with SPATE_IT_SEED={seed}", flush=True)
    rng = random.Random(seed)
    started = time.time()
    recoveries = []
    for kill in range(1, 16):
        time.sleep(max(0.0, started + 2 * kill - time.time()))
        victim = rng.choice([e for e in cluster.executors if e.alive()])
        batches = committed_http(cluster)
        victim.kill(signal.SIGKILL)
        killed_at = time.time()
        cluster.executors.remove(victim)
        cluster.start_executor()
        # A figure, not a check: from the kill to the next commit (issue 5's target is 3 s).
        # (Once the clicks end, batches stop until the closing click: a slow machine may get there.)
        wait_until(lambda: committed_http(cluster) > batches or not gen.alive(), "a commit after the kill")
        recovered_at = time.time()
        if committed_http(cluster) > batches:
            recoveries.append(recovered_at - killed_at)
    truth = wait_gen(cluster, gen)
    cluster.close_windows(truth)
    status = cluster.status("pv_uv")
    if status["state"].lower() != "running":
        raise Failure(f"the job is {status['state']}: {status.get('failure')}")
    rows, letters = check_results(cluster, truth)
    recoveries = sorted(recoveries) or [float("nan")]
    return (f"15 executors killed, kill to next commit median {recoveries[len(recoveries) // 2]:.2f} s "
            f"max {recoveries[-1]:.2f} s; {len(truth)} clicks, {rows} windows, {letters} dead letters")


def test_kill_driver(cluster):
    """kill -9 the driver mid-run, twice, and start it again on the same checkpoint (and port, so
    the executors find it again): exact, no duplicates."""
    cluster.start_broker()
    # The executors start first and keep trying until a driver answers on the port they were given.
    port = free_port(cluster.host)
    cluster.start_executor(driver=f"{cluster.host}:{port}")
    cluster.start_executor(driver=f"{cluster.host}:{port}")
    wait_until(lambda: restart_driver(cluster, port), "driver start on port %d" % port)
    gen = cluster.gen(rate=2_000, duration=28, seed=33)
    gen.wait_for(r"producing clicks")
    cluster.submit()
    # The first kill once a window is in the sink, so a replayed batch meets output already written.
    wait_until(lambda: cluster.sink_rows()[0], "window in the sink")
    windows_at_kill = []
    for _ in range(2):
        time.sleep(random.uniform(0.2, 1.5))
        cluster.driver.kill(signal.SIGKILL)
        windows_at_kill.append(len(cluster.sink_rows()[0]))
        wait_until(lambda: restart_driver(cluster, port), "driver restart on port %d" % port)
        wait_until(lambda: len(cluster.http("/api/executors")) == 2, "two executors back at the new driver")
        batches = committed(cluster)
        wait_until(lambda: committed(cluster) > batches or not gen.alive(), "commit after restart")
    truth = wait_gen(cluster, gen)
    cluster.close_windows(truth)
    rows, letters = check_results(cluster, truth)
    return f"windows in the sink at the kills: {windows_at_kill}; {len(truth)} clicks, {rows} windows, {letters} dead letters"


def free_port(host):
    """A port the kernel says is free now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def committed_http(cluster):
    """The job's committed batches from the driver's HTTP API (cheaper to poll than the CLI)."""
    return cluster.http("/api/jobs/pv_uv").get("batchesCommitted") or 0


def committed(cluster):
    """The job's committed batches as `spate status --json` says; -1 while the driver cannot say."""
    try:
        return cluster.status("pv_uv").get("batchesCommitted") or 0
    except Failure:
        return -1


def restart_driver(cluster, port):
    """Starts the driver again on `port`; False when the port is not free yet."""
    try:
        cluster.start_driver(port=port)
        return True
    except Failure:
        if cluster.driver and cluster.driver.alive():
            raise
        return False


def test_scale_out(cluster):
    """A third executor started mid-run gets tasks from the following batches on; then SIGTERM on
    one of the first two makes it leave cleanly (exit code 0) and the results stay exact."""
    cluster.start_broker()
    cluster.start_driver()
    cluster.start_executor()
    cluster.start_executor()
    gen = cluster.gen(rate=2_000, duration=12, seed=44)
    gen.wait_for(r"producing clicks")
    cluster.submit()
    wait_until(lambda: (cluster.status("pv_uv").get("batchesCommitted") or 0) >= 2, "two committed batches")
    third = cluster.start_executor()
    pid = third.popen.pid

    def third_ran_tasks():
        for executor in cluster.http("/api/executors"):
            if executor["pid"] == pid and executor.get("completedTasks", 0) > 0:
                return True
        return False

    wait_until(third_ran_tasks, "the third executor completing tasks")
    leaving = cluster.executors[0]
    leaving.kill(signal.SIGTERM)
    if leaving.popen.returncode != 0:
        raise Failure(f"the executor sent SIGTERM exited {leaving.popen.returncode}")
    wait_until(lambda: len(cluster.http("/api/executors")) == 2, "the leaving executor gone from the driver")
    truth = wait_gen(cluster, gen)
    cluster.close_windows(truth)
    rows, letters = check_results(cluster, truth)
    done = [e["completedTasks"] for e in cluster.http("/api/executors") if e["pid"] == pid][0]
    return f"the third executor completed {done} tasks; {rows} windows, {letters} dead letters"


def test_frozen_executor(cluster):
    """An executor frozen with SIGSTOP keeps its connection open but stops heartbeating: the driver
    loses it after the heartbeat timeout and the job goes on without it; thawed, it registers anew
    under a new id and gets work again. Exact, no duplicates."""
    cluster.start_broker()
    cluster.start_driver(extra=["--heartbeat-timeout-ms", "2000"])
    frozen = cluster.start_executor()
    cluster.start_executor()
    gen = cluster.gen(rate=2_000, duration=14, seed=66)
    gen.wait_for(r"producing clicks")
    cluster.submit()
    wait_until(lambda: committed_http(cluster) >= 3, "three committed batches")
    before = {e["id"] for e in cluster.http("/api/executors")}
    os.kill(frozen.popen.pid, signal.SIGSTOP)
    try:
        frozen_at = time.time()
        wait_until(lambda: len(cluster.http("/api/executors")) == 1, "the frozen executor lost")
        lost_after = time.time() - frozen_at
        batches = committed_http(cluster)
        wait_until(lambda: committed_http(cluster) > batches or not gen.alive(), "a commit without the frozen executor")
    finally:
        os.kill(frozen.popen.pid, signal.SIGCONT)
    wait_until(lambda: len(cluster.http("/api/executors")) == 2, "the thawed executor back")
    back = [e for e in cluster.http("/api/executors") if e["pid"] == frozen.popen.pid]
    if not back or back[0]["id"] in before:
        raise Failure(f"the thawed executor did not register under a new id: {back}, before {before}")
    truth = wait_gen(cluster, gen)
    cluster.close_windows(truth)
    rows, letters = check_results(cluster, truth)
    return f"lost {lost_after:.1f} s after SIGSTOP, back as {back[0]['id']}; {rows} windows, {letters} dead letters"


def test_netns(cluster):
    """An executor in its own network namespace, joined over a veth pair, with a secret: exact."""
    tag = int(os.environ.get("SPATE_IT_NETNS_TAG", os.getpid()))  # runtime.sh removes these names on exit
    ns, host_if, ns_if = f"spate-it-{tag}", f"spth{tag}", f"sptn{tag}"
    host_ip, ns_ip = f"10.200.{tag % 200 + 20}.1", f"10.200.{tag % 200 + 20}.2"
    setup = [["ip", "netns", "add", ns], ["ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if],
             ["ip", "link", "set", ns_if, "netns", ns], ["ip", "addr", "add", f"{host_ip}/24", "dev", host_if],
             ["ip", "link", "set", host_if, "up"],
             ["ip", "netns", "exec", ns, "ip", "addr", "add", f"{ns_ip}/24", "dev", ns_if],
             ["ip", "netns", "exec", ns, "ip", "link", "set", ns_if, "up"],
             ["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"]]
    cluster.cleanups.append(lambda: subprocess.run(["ip", "link", "del", host_if], capture_output=True))
    cluster.cleanups.append(lambda: subprocess.run(["ip", "netns", "del", ns], capture_output=True))
    if not shutil.which("ip"):
        return "SKIP netns: there is no `ip` command (iproute2)"
    for command in setup:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            return f"SKIP netns: `{' '.join(command)}` failed: {result.stderr.strip()}"
    cluster.host = host_ip
    cluster.secret = "netns-secret"
    cluster.env["SPATE_SECRET"] = cluster.secret
    cluster.start_broker(bind=host_ip)
    cluster.start_driver()
    inside = cluster.start_executor(prefix=["ip", "netns", "exec", ns], bind=ns_ip, advertise=ns_ip)
    cluster.start_executor(bind=host_ip)
    cluster.submit()
    truth = wait_gen(cluster, cluster.gen(rate=2_500, duration=12, seed=55))
    cluster.close_windows(truth)
    rows, letters = check_results(cluster, truth)
    names = [e["shuffleAddress"] for e in cluster.http("/api/executors")]
    if not any(name.startswith(ns_ip + ":") for name in names):
        raise Failure(f"no executor advertises {ns_ip}: {names}")
    if not inside.alive():
        raise Failure("the executor in the namespace exited")
    return f"executors at {', '.join(names)}; {rows} windows, {letters} dead letters"


def wait_until(condition, what, timeout_s=DEADLINE_S):
    deadline = time.time() + timeout_s
    while not condition():
        if time.time() > deadline:
            raise Failure(f"no {what} within {timeout_s} s")
        time.sleep(0.1)


TESTS = {"basic": test_basic, "kill_executors": test_kill_executors, "kill_driver": test_kill_driver,
         "scale_out": test_scale_out, "frozen_executor": test_frozen_executor, "netns": test_netns}


def main():
    spate = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or list(TESTS)
    work = tempfile.mkdtemp(prefix="spate-runtime-it-")
    failed = skipped = 0
    try:
        for name in names:
            directory = os.path.join(work, name)
            os.makedirs(directory)
            cluster = Cluster(spate, directory)
            cluster.cleanups = []
            started = time.time()
            try:
                outcome = TESTS[name](cluster)
                if outcome.startswith("SKIP"):
                    skipped += 1
                    print(outcome, flush=True)
                else:
                    print(f"ok   {name} ({time.time() - started:.1f} s): {outcome}", flush=True)
            except Exception as error:  # noqa: BLE001 (any failure of a test is reported with the logs)
                failed += 1
                print(f"FAIL {name} ({time.time() - started:.1f} s): {type(error).__name__}: {error}", flush=True)
                print(cluster.logs(), flush=True)
            finally:
                cluster.stop()
                for cleanup in cluster.cleanups:
                    cleanup()
    finally:
        if os.environ.get("SPATE_IT_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{len(names) - failed - skipped} passed, {skipped} skipped, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())

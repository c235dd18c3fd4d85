"""What every conformance test shares: a real `spate broker` process it starts, kills and restarts,
waits that poll a condition under a deadline, and a runner that turns an exception into a FAIL.

Deadlines are safety nets for a loaded 2-core machine: success returns as soon as the condition holds.
"""

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPATE = os.environ.get("SPATE_BIN", os.path.join(REPO, ".build", "release", "spate"))
LISTENING = re.compile(r"spate broker listening on (\S+):(\d+) \(data: (.*)\)")


class TestFailure(Exception):
    """A conformance check that did not hold."""


def check(condition, message):
    """Raises TestFailure with `message` when `condition` is false."""
    if not condition:
        raise TestFailure(message)


def log(message):
    print(f"    {message}", flush=True)


def wait_until(condition, timeout_s, what, interval_s=0.02):
    """Polls `condition` until it returns a truthy value, which it returns; fails after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TestFailure(f"timed out after {timeout_s:.0f} s waiting for {what}")
        time.sleep(interval_s)


class Broker:
    """One `spate broker` process on a data directory; `restart` reuses the directory and the port."""

    def __init__(self, data_dir, port=0, args=()):
        self.data_dir = data_dir
        self.port = port
        self.args = list(args)
        self.process = None
        self.host = None
        self.starts = 0
        self.log_path = os.path.join(os.path.dirname(data_dir), "broker.log")

    @property
    def bootstrap(self):
        return f"{self.host}:{self.port}"

    @property
    def pid(self):
        return self.process.pid

    def start(self, timeout_s=60):
        """Starts the process and waits for its `listening on` line."""
        check(self.process is None, "broker already running")
        command = [SPATE, "broker", "--port", str(self.port), "--data-dir", self.data_dir] + self.args
        self.starts += 1
        with open(self.log_path, "a") as stderr:
            stderr.write(f"--- start {self.starts}: {' '.join(command)}\n")
            stderr.flush()
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr)
        line = self._first_line(timeout_s)
        match = LISTENING.search(line)
        check(match, f"broker did not print its listening line; got {line!r}; log:\n{self.log_tail()}")
        self.host, self.port = match.group(1), int(match.group(2))
        return self

    def _first_line(self, timeout_s):
        deadline = time.monotonic() + timeout_s
        line = b""
        fd = self.process.stdout.fileno()
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise TestFailure(f"broker printed no listening line within {timeout_s} s; log:\n{self.log_tail()}")
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(fd, 1)
                if not chunk:
                    code = self.process.wait(timeout=timeout_s)
                    self.process = None
                    raise TestFailure(f"broker exited with {code} before listening; log:\n{self.log_tail()}")
                line += chunk
        return line.decode(errors="replace")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self, sig=signal.SIGKILL, timeout_s=60):
        """Sends `sig` and waits for the process to be gone; returns its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=timeout_s)
            raise TestFailure(f"broker ignored signal {sig} for {timeout_s} s")
        finally:
            self.process.stdout.close()
        self.process = None
        return code

    def stop(self):
        """A clean stop (SIGTERM); the exit code must be 0."""
        code = self.kill(signal.SIGTERM)
        check(code in (0, None), f"broker exited with {code} on SIGTERM; log:\n{self.log_tail()}")

    def restart(self, timeout_s=60):
        self.start(timeout_s)

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no broker log)"


def port_is_free(port):
    """True when nothing listens on 127.0.0.1:`port` and it can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run(test, port=0, broker_args=()):
    """Runs `test(broker)` against a fresh broker in a temporary directory; exits 1 on failure."""
    workdir = tempfile.mkdtemp(prefix="spate-conformance-")
    broker = Broker(os.path.join(workdir, "data"), port=port, args=broker_args)
    failed = False
    try:
        check(os.access(SPATE, os.X_OK), f"no spate binary at {SPATE} (build it: swift build -c release)")
        broker.start()
        test(broker)
        if broker.alive():
            broker.stop()
    except Exception as error:
        failed = True
        kind = "" if isinstance(error, TestFailure) else f"{type(error).__name__}: "
        print(f"    FAILED: {kind}{error}", flush=True)
        if not isinstance(error, TestFailure):
            traceback.print_exc()
        print(f"    broker log tail:\n{broker.log_tail()}", flush=True)
    finally:
        if broker.alive():
            broker.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    # Client libraries may leave non-daemon threads behind after a failure; do not wait for them.
    sys.stdout.flush()
    os._exit(1 if failed else 0)

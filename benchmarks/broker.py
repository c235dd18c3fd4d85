#!/usr/bin/env python3
"""Broker benchmark: produce then consume N records of B bytes through a fresh `spate broker`.

    python3 benchmarks/broker.py [--records 2000000] [--record-bytes 100] [--partitions 6]
                                 [--clients python,c] [--json]

For each client a fresh broker is started (`--port 0`, a temporary data dir, `--fsync interval:1000`), a
topic with --partitions partitions is created, the records are produced (acks=1, linger.ms=5, keyless)
and then consumed from the beginning (no group). Clients:
- python: confluent-kafka 2.16.1 from Python; its per-record produce() call is a cost of its own.
- c:      benchmarks/broker_load.c against librdkafka, compiled here with gcc (needs Debian's
          librdkafka-dev, which this script installs with apt-get when run as root, and says so).
Both consumers set queued.min.messages=1000000 (see CONSUMER_PROPERTIES for why).
For each phase it prints records/s, MB/s (MiB of record values, as in LinkedIn's 2014 table), the
broker's CPU seconds (utime+stime from /proc/PID/stat, also per record: the figure other load on the
machine disturbs least) and the 1-minute load average when the phase started; then the broker's
peak RSS (VmHWM from /proc/PID/status). --json prints one JSON object.

Runs under the repo's .venv (which it creates with the pinned clients if needed); builds
.build/release/spate if it is missing.
"""

import argparse
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_PYTHON = os.path.join(REPO, ".venv", "bin", "python")
REQUIREMENTS = os.path.join(REPO, ".ci", "conformance", "requirements.txt")
LOAD_SOURCE = os.path.join(REPO, "benchmarks", "broker_load.c")
TARGETS = {"produce_records_per_s": 800_000, "consume_records_per_s": 1_000_000, "broker_rss_mb": 200}
MIB = 1 << 20


def note(message):
    print(f"broker.py: {message}", file=sys.stderr, flush=True)


def ensure_venv():
    """Re-runs this script under .venv, creating it with the pinned clients when confluent-kafka is missing."""
    try:
        import confluent_kafka  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.abspath(sys.executable) == os.path.abspath(VENV_PYTHON):
        sys.exit("broker.py: confluent-kafka is not importable even under .venv")
    if not os.path.exists(VENV_PYTHON):
        note("creating .venv with the pinned Kafka clients")
        subprocess.run([sys.executable, "-m", "venv", os.path.join(REPO, ".venv")], check=True)
        subprocess.run([VENV_PYTHON, "-m", "pip", "install", "-q", "-r", REQUIREMENTS], check=True)
    os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)


def ensure_spate(path):
    if not os.path.exists(path):
        note("building the release binary (swift build -c release --product spate)")
        subprocess.run(["swift", "build", "-c", "release", "--product", "spate"], cwd=REPO, check=True)
    return path


def ensure_load_generator(workdir):
    """Compiles broker_load.c into `workdir`; installs librdkafka-dev first if the header is missing."""
    if not os.path.exists("/usr/include/librdkafka/rdkafka.h"):
        if os.geteuid() != 0:
            raise RuntimeError("the C client needs librdkafka-dev (apt-get install librdkafka-dev), "
                               "or run with --clients python")
        note("installing Debian's librdkafka-dev for the C load generator (apt-get install -y librdkafka-dev)")
        quiet = {"stdout": subprocess.DEVNULL, "env": dict(os.environ, DEBIAN_FRONTEND="noninteractive")}
        subprocess.run(["apt-get", "update", "-q"], check=True, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-q", "librdkafka-dev"], check=True, **quiet)
    binary = os.path.join(workdir, "broker_load")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", binary, LOAD_SOURCE, "-lrdkafka"], check=True)
    return binary


class Broker:
    """A `spate broker` on a fresh data directory; stopped with SIGTERM at the end."""

    def __init__(self, spate, workdir):
        self.data_dir = tempfile.mkdtemp(prefix="broker-", dir=workdir)
        self.process = subprocess.Popen(
            [spate, "broker", "--port", "0", "--data-dir", self.data_dir, "--fsync", "interval:1000"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(workdir, "broker.log"), "a"))
        line = self._first_line(60)
        match = re.search(r"listening on (\S+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the broker did not start: {line!r}")
        self.bootstrap = f"{match.group(1)}:{match.group(2)}"

    def _first_line(self, timeout_s):
        deadline = time.monotonic() + timeout_s
        line = b""
        while not line.endswith(b"\n") and time.monotonic() < deadline:
            if select.select([self.process.stdout], [], [], 0.5)[0]:
                chunk = os.read(self.process.stdout.fileno(), 1)
                if not chunk:
                    break
                line += chunk
        return line.decode(errors="replace")

    def cpu_s(self):
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def memory_mb(self, key):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return None

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(60)


def create_topic(bootstrap, topic, partitions):
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions)])[topic].result(timeout=60)


def end_offsets_total(bootstrap, topic, partitions):
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-check"})
    total = sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in range(partitions))
    consumer.close()
    return total


def python_produce(bootstrap, topic, records, record_bytes):
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": bootstrap, "acks": "1", "linger.ms": 5,
                         "queue.buffering.max.messages": 1_000_000})
    payload = b"x" * record_bytes
    produce, poll = producer.produce, producer.poll
    started = time.monotonic()
    for i in range(records):
        try:
            produce(topic, payload)
        except BufferError:
            poll(0.001)
            produce(topic, payload)
        if i % 10_000 == 0:
            poll(0)
    left = producer.flush(120)
    seconds = time.monotonic() - started
    if left:
        raise RuntimeError(f"python producer: {left} records not delivered")
    return seconds, 0.0


def python_consume(bootstrap, topic, records, partitions):
    from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, TopicPartition

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-python", "enable.auto.commit": False,
                         **CONSUMER_PROPERTIES})
    # Leaders known before the clock starts, as broker_load does (librdkafka's 500 ms retry timer otherwise).
    consumer.list_topics(topic, timeout=30)
    started = time.monotonic()
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
    got = 0
    deadline = started + 300
    first_record = None
    while got < records and time.monotonic() < deadline:
        messages = consumer.consume(num_messages=10_000, timeout=1)
        for message in messages:
            if message.error():
                raise KafkaException(message.error())
        if messages and first_record is None:
            first_record = time.monotonic()
        got += len(messages)
    seconds = time.monotonic() - started
    consumer.close()
    if got < records:
        raise RuntimeError(f"python consumer: read {got} of {records} records in 300 s")
    return seconds, first_record - started


# librdkafka stops fetching a partition once queued.min.messages (100,000) of it wait in the client,
# then looks again only after a timer (fetch.queue.backoff.ms, 1 s in librdkafka 2.16; ~0.5 s in
# 2.0). A consumer that drains its queue faster than that sits idle: with the defaults, Python's
# 2,000,000 records took 11 s of which 2.8 s were CPU. That measures the client's flow control,
# not the broker, so both consumers keep a deeper queue.
CONSUMER_PROPERTIES = {"queued.min.messages": "1000000"}


def c_phase(binary, mode, bootstrap, topic, records, last):
    extra = [f"{name}={value}" for name, value in CONSUMER_PROPERTIES.items()] if mode == "consume" else []
    result = subprocess.run([binary, mode, bootstrap, topic, str(records), str(last)] + extra, capture_output=True,
                            text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"broker_load {mode} failed: {result.stderr.strip()[-2000:]}")
    report = json.loads(result.stdout)
    if report["records"] != records:
        raise RuntimeError(f"broker_load {mode}: {report['records']} of {records} records")
    return report["seconds"], report["first_record_s"], report["librdkafka"]


def confluent_version():
    import confluent_kafka

    return f"{confluent_kafka.version()}, librdkafka {confluent_kafka.libversion()[0]}"


def run_client(client, args, spate, workdir, loader):
    """One fresh broker, one produce phase and one consume phase; the figures as a dict."""
    broker = Broker(spate, workdir)
    try:
        topic = f"bench-{client}"
        create_topic(broker.bootstrap, topic, args.partitions)
        figures = {"client": client}
        for phase in ("produce", "consume"):
            load = os.getloadavg()[0]
            cpu_before = broker.cpu_s()
            if client == "python":
                run = python_produce if phase == "produce" else python_consume
                last = args.record_bytes if phase == "produce" else args.partitions
                seconds, first_record_s = run(broker.bootstrap, topic, args.records, last)
                figures["library"] = f"Python confluent-kafka {confluent_version()}"
            else:
                last = args.record_bytes if phase == "produce" else args.partitions
                seconds, first_record_s, version = c_phase(loader, phase, broker.bootstrap, topic, args.records, last)
                figures["library"] = f"C broker_load, librdkafka {version}"
            if phase == "produce":
                stored = end_offsets_total(broker.bootstrap, topic, args.partitions)
                if stored != args.records:
                    raise RuntimeError(f"{client}: the broker holds {stored} records, expected {args.records}")
            figures[phase] = {
                "records_per_s": round(args.records / seconds),
                "mb_per_s": round(args.records * args.record_bytes / MIB / seconds, 1),
                "seconds": round(seconds, 3),
                "first_record_s": round(first_record_s, 3),
                "records_per_s_after_first": round(args.records / max(1e-9, seconds - first_record_s)),
                "broker_cpu_s": round(broker.cpu_s() - cpu_before, 2),
                # The figure a busy machine disturbs least: the broker's own work per record.
                "broker_cpu_us_per_record": round((broker.cpu_s() - cpu_before) * 1e6 / args.records, 3),
                "load_avg_1m": round(load, 2),
            }
        figures["broker_peak_rss_mb"] = round(broker.memory_mb("VmHWM"), 1)
        return figures
    finally:
        broker.stop()


def print_table(report):
    print(f"spate broker: {report['records']:,} records of {report['record_bytes']} bytes, "
          f"{report['partitions']} partitions, acks=1, linger.ms=5, --fsync interval:1000 "
          f"({report['cores']} cores)")
    print(f"{'client':<50} {'phase':<8} {'records/s':>11} {'MB/s':>7} {'seconds':>8} {'1st record s':>12} "
          f"{'rec/s after 1st':>15} {'broker CPU s':>12} {'µs/record':>9} {'load 1m':>8}")
    for run in report["runs"]:
        for phase in ("produce", "consume"):
            f = run[phase]
            first = f"{f['first_record_s']:.3f}" if phase == "consume" else "-"
            after = f"{f['records_per_s_after_first']:,}" if phase == "consume" else "-"
            print(f"{run['library']:<50} {phase:<8} {f['records_per_s']:>11,} {f['mb_per_s']:>7} "
                  f"{f['seconds']:>8.3f} {first:>12} {after:>15} {f['broker_cpu_s']:>12.2f} "
                  f"{f['broker_cpu_us_per_record']:>9.3f} {f['load_avg_1m']:>8.2f}")
    for run in report["runs"]:
        print(f"broker peak RSS (VmHWM) with {run['library']}: {run['broker_peak_rss_mb']} MB")
    t = report["targets"]
    print(f"targets: produce >= {t['produce_records_per_s']:,}/s, consume >= {t['consume_records_per_s']:,}/s, "
          f"broker RSS <= {t['broker_rss_mb']} MB. MB = 2^20 bytes of record values; seconds cover the whole "
          f"phase, a consumer's start-up (1st record s) included.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=2_000_000)
    parser.add_argument("--record-bytes", type=int, default=100)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--clients", default="python,c", help="comma-separated: python, c")
    parser.add_argument("--spate", default=os.path.join(REPO, ".build", "release", "spate"))
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args()
    clients = [c for c in args.clients.split(",") if c]
    if not clients or any(c not in ("python", "c") for c in clients) or min(
            args.records, args.record_bytes, args.partitions) <= 0:
        parser.error("--clients takes python and/or c; counts must be positive")
    ensure_venv()
    spate = ensure_spate(args.spate)
    workdir = tempfile.mkdtemp(prefix="spate-bench-broker-")
    try:
        loader = ensure_load_generator(workdir) if "c" in clients else None
        runs = [run_client(client, args, spate, workdir, loader) for client in clients]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"records": args.records, "record_bytes": args.record_bytes, "partitions": args.partitions,
              "cores": os.cpu_count(), "runs": runs, "targets": TARGETS}
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)


if __name__ == "__main__":
    main()

"""(5) Garbage, truncated and oversized requests from raw sockets close only their own connection, while
well-behaved clients (a confluent-kafka producer and consumer) keep producing and consuming, and an
idle raw connection opened before the garbage still answers afterwards.

Fixed cases assert what each must get (a close, or Kafka's own error code on a connection that stays
open); then seeded fuzzing sends random frames and mutated real client frames (shared/kafka/fixtures,
when present) and requires the broker to stay up and the good clients to see no error.
"""

import glob
import logging
import os
import random
import struct
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

import rawkafka
from harness import REPO, check, log, run, wait_until

TOPIC = "garbage-bystander"
RAW_TOPIC = "garbage-raw"  # what raw Produce requests write to
SEED = int(os.environ.get("CONFORMANCE_SEED", "20240605"))
# Mutated frames of these APIs are left out: a valid-looking CreateTopics may ask for thousands of
# partitions, and JoinGroup/SyncGroup legitimately hold the connection for a rebalance timeout.
FUZZ_SKIP_APIS = {"CreateTopics", "JoinGroup", "SyncGroup"}


class DisconnectLog(logging.Handler):
    """Keeps librdkafka's log lines that report a failed or dropped connection."""

    def __init__(self, errors):
        super().__init__()
        self.errors = errors

    def emit(self, record):
        text = record.getMessage()
        if "FAIL" in text or "Disconnected" in text:
            self.errors.append(f"log: {text}")


class GoodClients:
    """A producer and a consumer that keep working while garbage arrives; every error and every
    dropped connection (librdkafka logs them) is kept."""

    def __init__(self, bootstrap):
        self.errors = []
        logger = logging.getLogger("good-clients")
        logger.propagate = False
        logger.addHandler(DisconnectLog(self.errors))
        self.sent = 0
        self.delivered = set()
        self.consumed = set()
        self.running = True
        self.consumer_done = threading.Event()
        self.producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 1, "error_cb": self.error,
                                  "logger": logger})
        self.consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "garbage-bystander",
                                  "enable.auto.commit": False, "error_cb": self.error,
                                  "logger": logger})
        self.consumer.assign([TopicPartition(TOPIC, 0, 0)])
        self.threads = [threading.Thread(target=self.produce, daemon=True),
                        threading.Thread(target=self.consume, daemon=True)]
        for thread in self.threads:
            thread.start()

    def error(self, error):
        self.errors.append(str(error))

    def on_delivery(self, error, message):
        if error is not None:
            self.errors.append(f"delivery: {error}")
        else:
            self.delivered.add(int(message.value()))

    def produce(self):
        while self.running:
            self.producer.produce(TOPIC, value=b"%d" % self.sent, partition=0, on_delivery=self.on_delivery)
            self.sent += 1
            self.producer.poll(0.002)
        self.producer.flush(60)

    def consume(self):
        while not self.consumer_done.is_set():
            for message in self.consumer.consume(num_messages=1000, timeout=0.2):
                if message.error():
                    self.errors.append(f"consume: {message.error()}")
                else:
                    self.consumed.add(int(message.value()))

    def finish(self):
        """Stops producing, waits until everything delivered was consumed, then stops consuming."""
        self.running = False
        self.threads[0].join(120)
        check(not self.threads[0].is_alive(), "the good producer did not finish flushing within 120 s")
        wait_until(lambda: self.consumed >= self.delivered, 60, "the good consumer to catch up")
        self.consumer_done.set()
        self.threads[1].join(60)
        self.consumer.close()
        self.producer = None  # destroyed now, so its disconnect is not blamed on the broker stopping later


def must_close(address, data, what, half_close=False):
    connection = rawkafka.Connection(address)
    connection.send(data)
    if half_close:
        connection.sock.shutdown(2 - 1)  # SHUT_WR: the broker sees the end of the stream mid-frame
    closed = connection.wait_closed(30)
    connection.close()
    check(closed, f"{what}: the broker did not close the connection within 30 s")
    log(f"closed as it must: {what}")


def fixed_cases(address):
    must_close(address, struct.pack(">i", 0x7FFFFFFF), "size prefix 2 GiB (over the request limit)")
    must_close(address, struct.pack(">i", -1), "negative size prefix")
    must_close(address, struct.pack(">i", 0), "empty frame")
    must_close(address, struct.pack(">i", 3) + b"\x00\x12\x00", "frame too short for a request header")
    must_close(address, struct.pack(">i", 100) + b"\x00\x03\x00\x08\x00\x00", "truncated frame, then EOF",
               half_close=True)
    must_close(address, rawkafka.request(999, 0, 7), "unknown API key 999")
    must_close(address, rawkafka.request(3, 8, 7, struct.pack(">i", 0x7FFFFFFF)),
               "Metadata v8 claiming 2^31-1 topics in 4 bytes")
    produce = rawkafka.produce_v8(7, RAW_TOPIC, 0, rawkafka.record_batch([b"x" * 50]))
    must_close(address, rawkafka.frame(produce[4:-30]), "Produce v8 cut short inside its record batch")
    must_close(address, rawkafka.request(0, 1, 7, b"\x00" * 20), "Produce v1 (legacy message sets)")
    open_cases(address)


def open_cases(address):
    """Errors Kafka answers with a code, keeping the connection: it must still serve the next request."""
    connection = rawkafka.Connection(address)
    connection.send(rawkafka.request(18, 99, 41))
    reply = connection.response()
    check(reply is not None, "ApiVersions v99: the broker closed the connection instead of answering error 35")
    correlation_id, body = reply
    (error_code,) = struct.unpack_from(">h", body)
    check(correlation_id == 41 and error_code == 35, f"ApiVersions v99 answered id {correlation_id} error {error_code}")

    batch = bytearray(rawkafka.record_batch([b"corrupted"]))
    batch[-2] ^= 0xFF  # a value byte: the CRC no longer matches
    connection.send(rawkafka.produce_v8(42, RAW_TOPIC, 0, bytes(batch)))
    reply = connection.response()
    check(reply is not None, "Produce with a bad CRC: the broker closed the connection instead of answering")
    error_code, _ = rawkafka.produce_v8_result(reply[1])
    check(reply[0] == 42 and error_code == 2, f"Produce with a bad CRC got error {error_code}, expected 2 (CORRUPT_MESSAGE)")

    connection.send(rawkafka.produce_v8(43, RAW_TOPIC, 0, rawkafka.record_batch([b"raw-ok"])))
    reply = connection.response()
    check(reply is not None, "a valid Produce after the errors: the connection was closed")
    error_code, base_offset = rawkafka.produce_v8_result(reply[1])
    check(reply[0] == 43 and error_code == 0, f"valid raw Produce got error {error_code}")
    check(base_offset == 0, f"valid raw Produce went to offset {base_offset}: something before it was appended")
    connection.close()
    log("answered on a connection that stays open: ApiVersions v99 -> 35, bad CRC -> 2 (CORRUPT_MESSAGE), "
        "then a valid Produce -> 0 at offset 0 (nothing of the corrupt batch was kept)")


def fixture_frames():
    """Real client request frames (without size prefix) as (API name, bytes), from the nearest
    shared/kafka/fixtures beside or above the repository (CI puts shared/ beside its clone)."""
    directory = os.path.dirname(REPO)
    while True:
        paths = sorted(glob.glob(os.path.join(directory, "shared", "kafka", "fixtures", "*.req.bin")))
        if paths or directory == "/":
            break
        directory = os.path.dirname(directory)
    frames = []
    for path in paths:
        api = os.path.basename(path).split("_")[1]
        if api not in FUZZ_SKIP_APIS:
            with open(path, "rb") as f:
                frames.append((api, f.read()))
    return frames


def fuzz(address, rng):
    """Random frames and mutated real frames, one connection each; returns outcome counts."""
    outcomes = {"closed": 0, "answered": 0, "open": 0}
    truncated_left_open = []
    cases = [("random", bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2048)))) for _ in range(150)]
    frames = fixture_frames()
    for _ in range(250 if frames else 0):
        api, original = rng.choice(frames)
        mutated = bytearray(original)
        if rng.random() < 0.5:
            mutated = mutated[: rng.randint(8, max(8, len(mutated) - 1))]
            cases.append((f"truncated {api}", bytes(mutated)))
        else:
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(8, len(mutated))] = rng.getrandbits(8)
            cases.append((f"mutated {api}", bytes(mutated)))
    for kind, payload in cases:
        connection = rawkafka.Connection(address)
        connection.send(rawkafka.frame(payload))
        outcome = connection.outcome(wait_s=2 if kind.startswith("mutated") else 10)
        connection.close()
        outcomes[outcome] += 1
        if kind.startswith("truncated") and outcome == "open":
            truncated_left_open.append(kind)
    check(not truncated_left_open, f"truncated requests neither answered nor closed: {truncated_left_open[:5]}")
    return outcomes, len(frames)


def test(broker):
    address = (broker.host, broker.port)
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    futures = admin.create_topics([NewTopic(TOPIC, num_partitions=1), NewTopic(RAW_TOPIC, num_partitions=1)])
    for future in futures.values():
        future.result(timeout=60)
    idle = rawkafka.Connection(address)
    idle.send(rawkafka.api_versions_v0(1))
    check(idle.response() is not None, "the idle connection's first ApiVersions got no answer")
    good = GoodClients(broker.bootstrap)
    wait_until(lambda: len(good.consumed) >= 50, 60, "the good clients to produce and consume 50 records")

    started = time.monotonic()
    fixed_cases(address)
    outcomes, fixture_count = fuzz(address, random.Random(SEED))
    log(f"fuzz (seed {SEED}, {fixture_count} fixture frames): {outcomes}")
    garbage_s = time.monotonic() - started
    check(broker.alive(), "the broker process died")

    idle.send(rawkafka.api_versions_v0(2))
    reply = idle.response()
    check(reply is not None and reply[0] == 2, "the idle connection opened before the garbage was closed")
    idle.close()
    sent_during = good.sent
    good.finish()
    check(not good.errors, f"the good clients saw errors: {good.errors[:5]}")
    check(len(good.delivered) == good.sent, f"{good.sent - len(good.delivered)} good records were not delivered")
    check(good.consumed == good.delivered, f"{len(good.delivered - good.consumed)} good records were not consumed")
    log(f"meanwhile the good producer and consumer moved {len(good.consumed)} records "
        f"({sent_during} sent during the {garbage_s:.1f} s of garbage) with no error; the idle connection still answers")


if __name__ == "__main__":
    run(test)

"""(2) confluent-kafka produces 100,000 messages to a 3-partition topic; a group of two consumers reads
them while a third joins and one leaves; every message is consumed; after the group commits, a new
member of the group starts exactly where the group's commits say.

What is checked, precisely:
- Every message carries its id (0..N-1). Every record any member receives sits at the partition and
  offset the producer's delivery report gave for that id, and the union of ids received is all ids.
  A record read twice across a rebalance is allowed (at-least-once), and counted.
- Members commit by hand: on every revoke (before a rebalance or on leaving) and when told to. Once all
  ids are read, the members commit, and the committed offset of every partition must be its end offset
  E1[p] (read back through OffsetFetch by a client outside the group).
- Then 3,000 more messages are produced and read by the members, which never commit them and leave.
  The committed offsets must still be E1. A new member D of the group (auto.offset.reset=earliest, so a
  lost commit would show as a re-read from offset 0) must receive on each partition p exactly the
  offsets E1[p]..E2[p]-1, in order, once each: it re-reads what was read but not committed, and
  nothing that was committed.
"""

import threading
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from harness import check, log, run, wait_until

TOPIC = "group-conformance"
GROUP = "conformance-group"
PARTITIONS = 3
PHASE1 = 100_000
PHASE2 = 3_000
# Each member reads at most this many records per second, so the joins and the leave happen with
# records still waiting; a slower machine only makes everything take longer.
MEMBER_RATE = 6_000


def produce(bootstrap, first, count, where):
    """Produces ids first..first+count-1; fills `where[id] = (partition, offset)` from delivery reports."""
    errors = []

    def delivered(error, message):
        if error is not None:
            errors.append(error)
        else:
            where[int(message.value())] = (message.partition(), message.offset())

    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5})
    for i in range(first, first + count):
        while True:
            try:
                producer.produce(TOPIC, key=str(i).encode(), value=str(i).encode(), on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
    left = producer.flush(120)
    check(left == 0 and not errors, f"producer: {left} undelivered, errors {errors[:3]}")
    check(all(i in where for i in range(first, first + count)), "producer: a delivery report is missing")


def end_offsets(where):
    ends = [0] * PARTITIONS
    for partition, offset in where.values():
        ends[partition] = max(ends[partition], offset + 1)
    return ends


class Member(threading.Thread):
    """One group member on a thread of its own; commits by hand, on revoke and when asked."""

    def __init__(self, name, bootstrap, shared, lock):
        super().__init__(name=name, daemon=True)
        self.shared, self.lock = shared, lock
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": GROUP, "client.id": name,
            "auto.offset.reset": "earliest", "enable.auto.commit": False,
            "heartbeat.interval.ms": 500, "session.timeout.ms": 30_000,
        })
        self.assignment = set()
        self.received = 0
        self.commit_on_revoke = True
        self.commit_request = threading.Event()
        self.leave = threading.Event()
        self.failure = None

    def commit(self):
        try:
            self.consumer.commit(asynchronous=False)
        except KafkaException as error:
            # Nothing read since the last commit is not a failure.
            if error.args[0].code() != KafkaError._NO_OFFSET:
                raise

    def on_assign(self, consumer, partitions):
        self.assignment = {p.partition for p in partitions}

    def on_revoke(self, consumer, partitions):
        if self.commit_on_revoke:
            self.commit()
        self.assignment = set()

    def run(self):
        try:
            self.consumer.subscribe([TOPIC], on_assign=self.on_assign, on_revoke=self.on_revoke)
            started = None  # the rate counts from the first record, not from the join
            while not self.leave.is_set():
                self.read_some()
                if self.commit_request.is_set():
                    self.commit()
                    self.commit_request.clear()
                if started is None and self.received:
                    started = time.monotonic()
                while started and self.received > MEMBER_RATE * (time.monotonic() - started) and not self.leave.is_set():
                    time.sleep(0.01)
            self.consumer.close()  # revoke (a commit in phase 1), then LeaveGroup
        except Exception as error:  # reported by the test thread
            self.failure = error

    def read_some(self):
        messages = self.consumer.consume(num_messages=500, timeout=0.2)
        batch = []
        for message in messages:
            if message.error():
                raise KafkaException(message.error())
            batch.append((int(message.value()), message.partition(), message.offset()))
        self.received += len(batch)
        with self.lock:
            for record in batch:
                self.shared["records"].append((self.name,) + record)
                self.shared["ids"].add(record[0])


def committed_offsets(bootstrap):
    """The group's committed offsets, read by a client that does not join it."""
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP, "enable.auto.commit": False})
    try:
        result = reader.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=30)
        return [tp.offset for tp in sorted(result, key=lambda tp: tp.partition)]
    finally:
        reader.close()


def test(broker):
    bootstrap = broker.bootstrap
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(TOPIC, num_partitions=PARTITIONS)])[TOPIC].result(timeout=60)
    where = {}
    produce(bootstrap, 0, PHASE1, where)
    e1 = end_offsets(where)
    log(f"produced {PHASE1} messages; end offsets {e1}")

    shared, lock = {"records": [], "ids": set()}, threading.Lock()
    members = {}

    def start(name):
        members[name] = Member(name, bootstrap, shared, lock)
        members[name].start()

    def consumed():
        with lock:
            return len(shared["ids"])

    def healthy():
        for member in members.values():
            if member.failure:
                raise member.failure
        return True

    def owned():
        return set().union(*(m.assignment for m in members.values() if m.is_alive() and not m.leave.is_set()))

    start("A")
    start("B")
    wait_until(lambda: healthy() and members["A"].assignment and members["B"].assignment and consumed() >= 15_000,
               120, "A and B to share the partitions and read 15,000 records")
    log(f"A {sorted(members['A'].assignment)} and B {sorted(members['B'].assignment)} read {consumed()} ids")
    start("C")
    wait_until(lambda: healthy() and members["C"].received > 0, 120, "C to join and read records")
    log(f"C joined: A {sorted(members['A'].assignment)} B {sorted(members['B'].assignment)} "
        f"C {sorted(members['C'].assignment)}; {consumed()} ids read")
    members["A"].leave.set()
    members["A"].join(60)
    check(not members["A"].is_alive(), "A did not leave within 60 s")
    healthy()
    at_leave = consumed()
    wait_until(lambda: healthy() and owned() == set(range(PARTITIONS)), 120, "B and C to own every partition")
    log(f"A left with {PHASE1 - at_leave} ids unread; B {sorted(members['B'].assignment)} "
        f"C {sorted(members['C'].assignment)}")
    check(at_leave < PHASE1, "every id was read before A left, so the leave was not tested mid-stream")
    wait_until(lambda: healthy() and consumed() == PHASE1, 300, f"all {PHASE1} ids to be read")

    # The group commits what it read; repeat until the commits reach the end, since a member that
    # took over a partition may still be re-reading records some other member had read.
    def commits_reach_end():
        for member in (members["B"], members["C"]):
            member.commit_request.set()
        wait_until(lambda: healthy() and not any(m.commit_request.is_set() for m in (members["B"], members["C"])),
                   60, "B and C to commit")
        return committed_offsets(bootstrap) == e1

    wait_until(commits_reach_end, 120, f"the group's committed offsets to reach the end offsets {e1}", 0.5)
    log(f"the group committed {e1}")

    for member in members.values():
        member.commit_on_revoke = False
    produce(bootstrap, PHASE1, PHASE2, where)
    e2 = end_offsets(where)
    wait_until(lambda: healthy() and consumed() == PHASE1 + PHASE2, 120, "the members to read the new ids")
    for name in ("B", "C"):
        members[name].leave.set()
        members[name].join(60)
        check(not members[name].is_alive(), f"{name} did not leave within 60 s")
    healthy()
    check(committed_offsets(bootstrap) == e1, "committed offsets moved though no member committed")
    log(f"B and C read {PHASE2} new ids and left without committing; end offsets now {e2}")

    check_records(shared["records"], where)
    check_resume(bootstrap, where, e1, e2)


def check_records(records, where):
    mismatched = [r for r in records if where.get(r[1]) != (r[2], r[3])]
    check(not mismatched, f"{len(mismatched)} records are not where the producer put them, e.g. {mismatched[:3]}")
    ids = {r[1] for r in records}
    check(ids == set(range(PHASE1 + PHASE2)), f"{PHASE1 + PHASE2 - len(ids)} ids were never consumed")
    by_member = {}
    for record in records:
        by_member[record[0]] = by_member.get(record[0], 0) + 1
    log(f"every record was where its delivery report said; per member {by_member}; "
        f"{len(records) - len(ids)} records read twice across rebalances")


def check_resume(bootstrap, where, e1, e2):
    d = Consumer({"bootstrap.servers": bootstrap, "group.id": GROUP, "client.id": "D",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    d.subscribe([TOPIC])
    got = {p: [] for p in range(PARTITIONS)}
    expected = sum(e2) - sum(e1)
    deadline = time.monotonic() + 120
    while sum(map(len, got.values())) < expected and time.monotonic() < deadline:
        for message in d.consume(num_messages=1000, timeout=0.5):
            if message.error():
                raise KafkaException(message.error())
            got[message.partition()].append((message.offset(), int(message.value())))
    d.close()
    for p in range(PARTITIONS):
        offsets = [offset for offset, _ in got[p]]
        check(offsets == list(range(e1[p], e2[p])),
              f"D read partition {p} at offsets {offsets[:3]}..{offsets[-3:]} ({len(offsets)}), "
              f"expected exactly {e1[p]}..{e2[p] - 1}")
        for offset, ident in got[p]:
            check(where[ident] == (p, offset), f"D read id {ident} at {p}/{offset}, produced at {where[ident]}")
    log(f"new member D started at the committed offsets {e1} and read exactly the {expected} uncommitted records")


if __name__ == "__main__":
    run(test, broker_args=["--group-initial-delay-ms", "500"])

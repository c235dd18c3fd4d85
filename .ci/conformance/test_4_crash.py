"""(4) `kill -9` the broker in the middle of a 200,000-message acks=all produce, restart it on the same
data directory and port, and let the producer carry on: every acknowledged message is in the log
exactly once, at the offset its acknowledgement gave, in order per partition; a message that was not
acknowledged may be missing or present once, never twice.

Run twice: kafka-python's default producer (idempotent, acks=all) and confluent-kafka with
enable.idempotence=true. Message i goes to partition i % 3, so ids within a partition must be
strictly increasing in log order.
"""

import threading

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from harness import check, log, run, wait_until

MESSAGES = 200_000
PARTITIONS = 3
KILL_AFTER_ACKS = 50_000


class Outcome:
    """Acknowledgements and failures, written by the producer's callbacks."""

    def __init__(self, broker):
        self.broker = broker
        self.lock = threading.Lock()
        self.acked = {}  # id -> (partition, offset)
        self.failed = {}  # id -> error text
        self.acked_at_kill = None
        self.killed = threading.Event()

    def ack(self, ident, partition, offset):
        with self.lock:
            self.acked[ident] = (partition, offset)
            if self.acked_at_kill is None and len(self.acked) >= KILL_AFTER_ACKS:
                # From the callback, so the kill lands while the producer has batches in flight.
                self.acked_at_kill = len(self.acked)
                self.broker.process.kill()
                self.killed.set()

    def fail(self, ident, error):
        with self.lock:
            self.failed[ident] = str(error)


def produce_kafka_python(broker, topic, outcome):
    from kafka import KafkaProducer

    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)  # defaults: acks=all, idempotent
    for i in range(MESSAGES):
        future = producer.send(topic, value=b"%d" % i, partition=i % PARTITIONS)
        future.add_callback(lambda metadata, i=i: outcome.ack(i, metadata.partition, metadata.offset))
        future.add_errback(lambda error, i=i: outcome.fail(i, error))
    producer.flush(timeout=240)
    producer.close(timeout=60)


def produce_confluent(broker, topic, outcome):
    def delivered(error, message):
        ident = int(message.value())
        if error is None:
            outcome.ack(ident, message.partition(), message.offset())
        else:
            outcome.fail(ident, error)

    producer = Producer({"bootstrap.servers": broker.bootstrap, "enable.idempotence": True, "acks": "all",
                         "message.timeout.ms": 240_000})
    for i in range(MESSAGES):
        while True:
            try:
                producer.produce(topic, value=b"%d" % i, partition=i % PARTITIONS, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    left = producer.flush(240)
    check(left == 0, f"confluent producer: {left} messages neither delivered nor failed after 240 s")


def read_log(bootstrap, topic):
    """Every record of the topic, per partition, as (offset, id) in log order."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "crash-reader", "enable.auto.commit": False})
    ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in range(PARTITIONS)}
    consumer.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
    log_records = {p: [] for p in range(PARTITIONS)}

    def caught_up():
        for message in consumer.consume(num_messages=10_000, timeout=0.5):
            check(not message.error(), f"reading back: {message.error()}")
            log_records[message.partition()].append((message.offset(), int(message.value())))
        return all(len(log_records[p]) >= ends[p] for p in range(PARTITIONS))

    wait_until(caught_up, 120, f"the whole log {ends} to be read back", 0)
    consumer.close()
    return log_records


def verify(log_records, outcome):
    seen = {}
    for p, records in log_records.items():
        offsets = [offset for offset, _ in records]
        check(offsets == list(range(len(records))), f"partition {p}: offsets are not 0..{len(records) - 1}")
        ids = [ident for _, ident in records]
        check(all(a < b for a, b in zip(ids, ids[1:])),
              f"partition {p}: ids are not strictly increasing (a duplicate or a reordering)")
        for offset, ident in records:
            check(ident % PARTITIONS == p, f"id {ident} is in partition {p}")
            check(ident not in seen, f"id {ident} is in the log twice: {seen.get(ident)} and {(p, offset)}")
            seen[ident] = (p, offset)
    wrong = [(i, where, seen.get(i)) for i, where in outcome.acked.items() if seen.get(i) != where]
    check(not wrong, f"{len(wrong)} acknowledged messages are missing or not at their acknowledged offset, "
                     f"e.g. (id, acked at, found at) {wrong[:3]}")
    return len(seen)


def crash_run(broker, client, produce):
    topic = f"crash-{client}"
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS)])[topic].result(timeout=60)
    outcome = Outcome(broker)
    failure = []

    def producing():
        try:
            produce(broker, topic, outcome)
        except Exception as error:
            failure.append(error)

    producer = threading.Thread(target=producing, daemon=True)
    producer.start()
    wait_until(lambda: outcome.killed.is_set() or not producer.is_alive(), 300, f"{KILL_AFTER_ACKS} acks")
    check(outcome.killed.is_set(), f"{client}: the producer ended before {KILL_AFTER_ACKS} acks: {failure}")
    code = broker.kill()
    broker.restart()
    log(f"{client}: broker killed (exit {code}) after {outcome.acked_at_kill} acks and restarted on "
        f"{broker.bootstrap}")
    producer.join(600)
    check(not producer.is_alive(), f"{client}: the producer did not finish within 600 s of the restart")
    check(not failure, f"{client}: the producer raised {failure[:1]}")
    after = len(outcome.acked)
    check(after > outcome.acked_at_kill, f"{client}: no message was acknowledged after the restart")
    present = verify(read_log(broker.bootstrap, topic), outcome)
    errors = sorted(set(outcome.failed.values()))[:3]
    log(f"{client}: {after} acknowledged, {len(outcome.failed)} failed {errors}; the log holds {present}, "
        f"each once, every acknowledged one at its offset")


def test(broker):
    crash_run(broker, "kafka-python", produce_kafka_python)
    crash_run(broker, "confluent", produce_confluent)


if __name__ == "__main__":
    run(test)

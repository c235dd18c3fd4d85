"""(1) The users' producer code from the Broker issue, run exactly as written (snippet.py, unedited),
against a broker on localhost:9092; then a KafkaConsumer reads the record back with its key and value.
"""

import json
import os
import subprocess
import sys

from harness import check, log, port_is_free, run

PORT = 9092
HERE = os.path.dirname(os.path.abspath(__file__))


def test(broker):
    check(broker.port == PORT, f"broker listens on {broker.port}, not {PORT}")
    snippet = os.path.join(HERE, "snippet.py")
    result = subprocess.run([sys.executable, snippet], capture_output=True, text=True, timeout=180)
    check(result.returncode == 0, f"snippet.py exited with {result.returncode}:\n{result.stderr[-3000:]}")
    log("snippet.py ran unchanged and exited 0")

    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(
        bootstrap_servers="localhost:9092", auto_offset_reset="earliest", enable_auto_commit=False,
        consumer_timeout_ms=30_000)
    partitions = consumer.partitions_for_topic("website-logs")
    check(partitions, "topic website-logs does not exist after the snippet ran")
    assigned = [TopicPartition("website-logs", p) for p in sorted(partitions)]
    consumer.assign(assigned)
    ends = consumer.end_offsets(assigned)
    total = sum(ends.values())
    check(total == 1, f"website-logs holds {total} records, expected exactly 1: {ends}")
    records = []
    for record in consumer:
        records.append(record)
        if len(records) == total:
            break
    consumer.close()
    check(len(records) == 1, f"read {len(records)} records back within 30 s, expected 1")
    record = records[0]
    check(record.key == b"alice", f"key is {record.key!r}, expected b'alice'")
    check(json.loads(record.value) == {"name": "Alice", "age": 25}, f"value is {record.value!r}")
    log(f"KafkaConsumer read it back: partition {record.partition} offset {record.offset} key {record.key!r} "
        f"value {record.value.decode()}")


if __name__ == "__main__":
    if not port_is_free(PORT):
        print(f"    FAILED: port {PORT} is taken on this machine; the snippet names localhost:{PORT} and must run "
              "unedited, so free the port (stop whatever listens there) and run again", flush=True)
        sys.exit(1)
    run(test, port=PORT)

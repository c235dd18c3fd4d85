"""(3) Admin clients create topics, and creating one that exists gets TOPIC_ALREADY_EXISTS (36):
confluent-kafka's AdminClient and kafka-python's KafkaAdminClient, each checked through Metadata too.
"""

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

from harness import check, log, run

TOPIC_ALREADY_EXISTS = 36
DEFAULT_PARTITIONS = 2  # the broker's --partitions here, which CreateTopics with -1 partitions must get


def partition_counts(admin, names):
    metadata = admin.list_topics(timeout=30)
    return {name: len(metadata.topics[name].partitions) for name in names if name in metadata.topics}


def confluent_admin(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    wanted = {"admin-c-one": 1, "admin-c-four": 4, "admin-c-default": -1}
    futures = admin.create_topics([NewTopic(name, num_partitions=n) for name, n in wanted.items()], request_timeout=30)
    for name, future in futures.items():
        future.result(timeout=60)  # raises KafkaException on failure
    counts = partition_counts(admin, wanted)
    expected = {name: (DEFAULT_PARTITIONS if n == -1 else n) for name, n in wanted.items()}
    check(counts == expected, f"confluent: metadata shows partitions {counts}, expected {expected}")
    log(f"confluent AdminClient created {expected}")

    # A duplicate alongside a new topic: the duplicate alone fails, the new one is created.
    futures = admin.create_topics(
        [NewTopic("admin-c-four", num_partitions=7), NewTopic("admin-c-new", num_partitions=3)], request_timeout=30)
    try:
        futures["admin-c-four"].result(timeout=60)
        raise AssertionError("creating admin-c-four twice succeeded")
    except KafkaException as error:
        code = error.args[0].code()
        check(code == KafkaError.TOPIC_ALREADY_EXISTS,
              f"confluent: duplicate got error {code} ({error}), expected TOPIC_ALREADY_EXISTS")
    futures["admin-c-new"].result(timeout=60)
    counts = partition_counts(admin, ["admin-c-four", "admin-c-new"])
    check(counts == {"admin-c-four": 4, "admin-c-new": 3}, f"confluent: after the duplicate, partitions are {counts}")
    log("confluent AdminClient: duplicate got TOPIC_ALREADY_EXISTS, the topic kept its 4 partitions")


def described_partitions(admin, names):
    """Partition counts from KafkaAdminClient.describe_topics (Metadata), checking each topic's error code."""
    counts = {}
    for topic in admin.describe_topics(names):
        check(topic["error_code"] == 0, f"kafka-python: describing {topic['name']} got error {topic['error_code']}")
        counts[topic["name"]] = len(topic["partitions"])
    return counts


def kafka_python_admin(broker):
    from kafka.admin import KafkaAdminClient
    from kafka.errors import TopicAlreadyExistsError

    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=30_000)
    try:
        wanted = {"admin-k-one": 1, "admin-k-five": 5}
        admin.create_topics({name: {"num_partitions": n, "replication_factor": 1} for name, n in wanted.items()})
        described = described_partitions(admin, list(wanted))
        check(described == wanted, f"kafka-python: described partitions {described}, expected {wanted}")
        log(f"kafka-python KafkaAdminClient created {wanted}")

        try:
            admin.create_topics({"admin-k-five": {"num_partitions": 2, "replication_factor": 1}})
            raise AssertionError("kafka-python: creating admin-k-five twice succeeded")
        except TopicAlreadyExistsError:
            pass
        # The same duplicate without raising: the raw per-topic error code.
        result = admin.create_topics(
            {"admin-k-five": {"num_partitions": 2, "replication_factor": 1}}, raise_errors=False)
        codes = {t["name"]: t["error_code"] for t in result["topics"]}
        check(codes == {"admin-k-five": TOPIC_ALREADY_EXISTS}, f"kafka-python: duplicate answered {codes}")
        # Topics the confluent client made are duplicates for this client too.
        result = admin.create_topics({"admin-c-one": {"num_partitions": 1, "replication_factor": 1}},
                                     raise_errors=False)
        codes = {t["name"]: t["error_code"] for t in result["topics"]}
        check(codes == {"admin-c-one": TOPIC_ALREADY_EXISTS}, f"kafka-python: duplicate of a confluent topic: {codes}")
        described = described_partitions(admin, ["admin-k-five"])
        check(described == {"admin-k-five": 5}, f"kafka-python: after the duplicate, partitions are {described}")
        log("kafka-python KafkaAdminClient: duplicates raised TopicAlreadyExistsError (error code 36)")
    finally:
        admin.close()


def test(broker):
    confluent_admin(broker)
    kafka_python_admin(broker)


if __name__ == "__main__":
    run(test, broker_args=["--partitions", str(DEFAULT_PARTITIONS)])

/*
 * A C-speed load generator for benchmarks/broker.py: produces or consumes with librdkafka directly, so
 * the broker is measured rather than the Python loop around confluent-kafka.
 *
 *   broker_load produce BOOTSTRAP TOPIC RECORDS RECORD_BYTES [NAME=VALUE...]  (acks=1, linger.ms=5, keyless)
 *   broker_load consume BOOTSTRAP TOPIC RECORDS PARTITIONS [NAME=VALUE...]    (from the beginning, no group)
 *
 * NAME=VALUE pairs are extra librdkafka properties, applied after the defaults above.
 *
 * Prints one JSON object: records, bytes, seconds, first_record_s (consume: from assign to the first
 * record, which is client start-up), errors, librdkafka. Exit 1 on any error.
 * Built by broker.py at run time: gcc -O2 broker_load.c -lrdkafka (Debian's librdkafka-dev).
 */
#include <librdkafka/rdkafka.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long delivered = 0;
static char **extra_properties = NULL;
static int extra_count = 0;
static long failed = 0;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char error[512];
    if (rd_kafka_conf_set(conf, name, value, error, sizeof error) != RD_KAFKA_CONF_OK) {
        fprintf(stderr, "broker_load: %s=%s: %s\n", name, value, error);
        exit(1);
    }
}

static void set_extra(rd_kafka_conf_t *conf) {
    for (int i = 0; i < extra_count; i++) {
        char *pair = strdup(extra_properties[i]);
        char *equals = strchr(pair, '=');
        if (!equals) {
            fprintf(stderr, "broker_load: %s is not NAME=VALUE\n", pair);
            exit(2);
        }
        *equals = 0;
        set(conf, pair, equals + 1);
        free(pair);
    }
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *message, void *opaque) {
    (void)rk;
    (void)opaque;
    if (message->err) {
        if (failed++ == 0) fprintf(stderr, "broker_load: delivery failed: %s\n", rd_kafka_err2str(message->err));
    } else {
        delivered++;
    }
}

static void report(long records, long bytes, double seconds, double first_record_s, long errors) {
    printf("{\"records\": %ld, \"bytes\": %ld, \"seconds\": %.6f, \"first_record_s\": %.6f, \"errors\": %ld, "
           "\"librdkafka\": \"%s\"}\n",
           records, bytes, seconds, first_record_s, errors, rd_kafka_version_str());
}

static int produce(const char *bootstrap, const char *topic_name, long records, int record_bytes) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "acks", "1");
    set(conf, "linger.ms", "5");
    set(conf, "queue.buffering.max.messages", "1000000");
    set_extra(conf);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "broker_load: %s\n", error);
        return 1;
    }
    rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, topic_name, NULL);
    /* One static payload: flags 0 means librdkafka neither copies nor frees it. */
    char *payload = malloc(record_bytes);
    for (int i = 0; i < record_bytes; i++) payload[i] = 'a' + i % 26;
    double started = now_s();
    for (long i = 0; i < records; i++) {
        while (rd_kafka_produce(topic, RD_KAFKA_PARTITION_UA, 0, payload, record_bytes, NULL, 0, NULL) == -1) {
            if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                fprintf(stderr, "broker_load: produce: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
                return 1;
            }
            rd_kafka_poll(rk, 1);
        }
        if (i % 10000 == 0) rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 120000);
    double seconds = now_s() - started;
    long unfinished = rd_kafka_outq_len(rk);
    report(delivered, delivered * (long)record_bytes, seconds, 0, failed + unfinished);
    rd_kafka_topic_destroy(topic);
    rd_kafka_destroy(rk);
    free(payload);
    return failed + unfinished ? 1 : 0;
}

static int consume(const char *bootstrap, const char *topic_name, long records, int partitions) {
    char error[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap);
    set(conf, "group.id", "broker-load");
    set(conf, "enable.auto.commit", "false");
    set_extra(conf);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (!rk) {
        fprintf(stderr, "broker_load: %s\n", error);
        return 1;
    }
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *assignment = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; p++)
        rd_kafka_topic_partition_list_add(assignment, topic_name, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    /* Learn the partition leaders before the clock starts: assigned before that, librdkafka retries
     * its offset lookup on a 500 ms timer, a start-up cost of the client, not of the broker. */
    rd_kafka_topic_t *topic = rd_kafka_topic_new(rk, topic_name, NULL);
    const struct rd_kafka_metadata *metadata = NULL;
    if (rd_kafka_metadata(rk, 0, topic, &metadata, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        fprintf(stderr, "broker_load: no metadata for %s\n", topic_name);
        return 1;
    }
    rd_kafka_metadata_destroy(metadata);
    rd_kafka_topic_destroy(topic);
    double started = now_s();
    rd_kafka_assign(rk, assignment);
    long got = 0, bytes = 0, errors = 0;
    double deadline = started + 300, first_record = 0;
    /* Batches of up to 10,000: librdkafka reads the clock on every poll call, which a per-record
     * rd_kafka_consumer_poll pays for each record. */
    rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(rk);
    static rd_kafka_message_t *batch[10000];
    while (got < records && now_s() < deadline) {
        ssize_t count = rd_kafka_consume_batch_queue(queue, 1000, batch, 10000);
        if (count < 0) {
            fprintf(stderr, "broker_load: consume: %s\n", rd_kafka_err2str(rd_kafka_last_error()));
            errors++;
            break;
        }
        for (ssize_t i = 0; i < count; i++) {
            rd_kafka_message_t *message = batch[i];
            if (message->err) {
                if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && errors++ == 0)
                    fprintf(stderr, "broker_load: consume: %s\n", rd_kafka_message_errstr(message));
            } else {
                if (got++ == 0) first_record = now_s();
                bytes += message->len;
            }
            rd_kafka_message_destroy(message);
        }
    }
    rd_kafka_queue_destroy(queue);
    double seconds = now_s() - started;
    if (got < records) errors++;
    report(got, bytes, seconds, got ? first_record - started : 0, errors);
    rd_kafka_topic_partition_list_destroy(assignment);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return errors ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: broker_load produce BOOTSTRAP TOPIC RECORDS RECORD_BYTES [NAME=VALUE...]\n"
                        "       broker_load consume BOOTSTRAP TOPIC RECORDS PARTITIONS [NAME=VALUE...]\n");
        return 2;
    }
    extra_properties = argv + 6;
    extra_count = argc - 6;
    long records = atol(argv[4]);
    int last = atoi(argv[5]);
    if (records <= 0 || last <= 0) {
        fprintf(stderr, "broker_load: RECORDS and the last argument must be positive\n");
        return 2;
    }
    if (strcmp(argv[1], "produce") == 0) return produce(argv[2], argv[3], records, last);
    if (strcmp(argv[1], "consume") == 0) return consume(argv[2], argv[3], records, last);
    fprintf(stderr, "broker_load: unknown mode %s\n", argv[1]);
    return 2;
}

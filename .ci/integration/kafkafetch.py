"""Just enough of the Kafka protocol to read a whole topic with its record headers: Fetch v4 over a
raw socket and record batch v2 parsing. The integration tests use it to read dead-letter topics, whose
headers say which source record each letter is for (`spate consume` prints values only).
"""

import socket
import struct
import time


class Reader:
    def __init__(self, data):
        self.data = data
        self.at = 0

    def take(self, count):
        if self.at + count > len(self.data):
            raise ValueError(f"short read: {count} bytes at {self.at} of {len(self.data)}")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk

    def unpack(self, fmt):
        values = struct.unpack(fmt, self.take(struct.calcsize(fmt)))
        return values[0] if len(values) == 1 else values

    def string(self):
        length = self.unpack(">h")
        return None if length < 0 else self.take(length).decode()

    def varint(self):
        shift = value = 0
        while True:
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return (value >> 1) ^ -(value & 1)

    def varbytes(self):
        length = self.varint()
        return None if length < 0 else self.take(length)

    def done(self):
        return self.at >= len(self.data)


def _string(text):
    data = text.encode()
    return struct.pack(">h", len(data)) + data


def _fetch_v4(correlation_id, topic, partition, offset):
    body = struct.pack(">iiiib", -1, 100, 1, 8 << 20, 0) + struct.pack(">i", 1) + _string(topic)
    body += struct.pack(">iiqi", 1, partition, offset, 8 << 20)
    header = struct.pack(">hhi", 1, 4, correlation_id) + _string("spate-it")
    message = header + body
    return struct.pack(">i", len(message)) + message


def _records(batches):
    """(offset, key, value, {header: bytes}) of every record in a run of record batches v2."""
    reader = Reader(batches)
    while len(reader.data) - reader.at >= 12:
        base_offset, length = reader.unpack(">qi")
        if len(reader.data) - reader.at < length:
            return  # a partial batch at the end of the response
        batch = Reader(reader.take(length))
        batch.unpack(">ibIhiqqqhi")  # epoch, magic, crc, attributes, lastOffsetDelta, times, producer, sequence
        for _ in range(batch.unpack(">i")):
            record = Reader(batch.take(batch.varint()))
            record.take(1)
            record.varint()  # timestamp delta
            offset = base_offset + record.varint()
            key = record.varbytes()
            value = record.varbytes()
            headers = {}
            for _ in range(record.varint()):
                name = record.varbytes().decode()
                headers[name] = record.varbytes()
            yield offset, key, value, headers


def read_partition(address, topic, partition, timeout_s=30):
    """Every record of one partition, from offset 0 to its high watermark; None if it does not exist."""
    host, port = address.rsplit(":", 1)
    deadline = time.time() + timeout_s
    out = []
    with socket.create_connection((host, int(port)), timeout=timeout_s) as sock:
        offset, correlation = 0, 0
        while True:
            correlation += 1
            sock.sendall(_fetch_v4(correlation, topic, partition, offset))
            size = struct.unpack(">i", _exactly(sock, 4))[0]
            response = Reader(_exactly(sock, size))
            response.unpack(">ii")  # correlation id, throttle
            response.unpack(">i")
            response.string()
            response.unpack(">i")
            response.unpack(">i")  # partition
            error, high_watermark, _ = response.unpack(">hqq")
            if error == 3:
                return None
            if error != 0:
                raise ValueError(f"fetch {topic}/{partition} at {offset}: error {error}")
            aborted = response.unpack(">i")
            response.take(max(aborted, 0) * 16)
            size = response.unpack(">i")
            data = response.take(size) if size > 0 else b""
            for record in _records(data):
                if record[0] >= offset:
                    out.append(record)
            if out:
                offset = out[-1][0] + 1
            if offset >= high_watermark:
                return out
            if time.time() > deadline:
                raise TimeoutError(f"reading {topic}/{partition}: at {offset} of {high_watermark}")


def read_topic(address, topic):
    """Every record of every partition of a topic, as (partition, offset, key, value, headers)."""
    out = []
    partition = 0
    while True:
        records = read_partition(address, topic, partition)
        if records is None:
            return out
        out.extend((partition, *record) for record in records)
        partition += 1


def _exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("the broker closed the connection")
        data += chunk
    return data

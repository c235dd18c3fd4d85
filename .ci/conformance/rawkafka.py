"""Just enough of the Kafka wire format to send requests by hand over a raw socket: frames, request
header v1, ApiVersions v0, Metadata v8, and Produce v8 carrying a record batch v2 with its CRC-32C.
"""

import socket
import struct
import time

_CRC32C_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC32C_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def string(text):
    if text is None:
        return struct.pack(">h", -1)
    data = text.encode()
    return struct.pack(">h", len(data)) + data


def varint(value):
    """Zig-zag varint, as records use."""
    value = (value << 1) ^ (value >> 63)
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def frame(body):
    return struct.pack(">i", len(body)) + body


def request(api_key, version, correlation_id, body=b"", client_id="conformance"):
    """A size-prefixed request with header v1."""
    return frame(struct.pack(">hhi", api_key, version, correlation_id) + string(client_id) + body)


def api_versions_v0(correlation_id):
    return request(18, 0, correlation_id)


def metadata_v8(correlation_id, topics):
    body = struct.pack(">i", len(topics)) + b"".join(string(t) for t in topics)
    return request(3, 8, correlation_id, body + b"\x00\x00\x00")  # no auto-create, no authorized operations


def record_batch(values, timestamp_ms=None):
    """A record batch v2 (magic 2, no compression, not idempotent) holding `values` with null keys."""
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    records = b""
    for delta, value in enumerate(values):
        record = b"\x00" + varint(0) + varint(delta) + varint(-1) + varint(len(value)) + value + varint(0)
        records += varint(len(record)) + record
    after_crc = (struct.pack(">hiqqqhii", 0, len(values) - 1, timestamp_ms, timestamp_ms, -1, -1, -1, len(values))
                 + records)
    header_rest = struct.pack(">ib", -1, 2)  # partitionLeaderEpoch, magic
    crc = struct.pack(">I", crc32c(after_crc))
    batch_length = len(header_rest) + len(crc) + len(after_crc)
    return struct.pack(">qi", 0, batch_length) + header_rest + crc + after_crc


def produce_v8(correlation_id, topic, partition, batch, acks=-1):
    body = (string(None) + struct.pack(">hi", acks, 30_000) + struct.pack(">i", 1) + string(topic)
            + struct.pack(">ii", 1, partition) + struct.pack(">i", len(batch)) + batch)
    return request(0, 8, correlation_id, body)


def produce_v8_result(response_body):
    """(error_code, base_offset) of the first partition of a Produce v8 response body."""
    offset = 4  # topics count
    (name_length,) = struct.unpack_from(">h", response_body, offset)
    offset += 2 + name_length + 4  # name, partitions count
    _, error_code, base_offset = struct.unpack_from(">ihq", response_body, offset)
    return error_code, base_offset


class Connection:
    """A raw client socket with a deadline on every read."""

    def __init__(self, address, timeout_s=30):
        self.sock = socket.create_connection(address, timeout=timeout_s)
        self.timeout_s = timeout_s

    def send(self, data):
        self.sock.sendall(data)

    def read_exactly(self, count, deadline):
        data = b""
        while len(data) < count:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def response(self):
        """(correlation_id, body) of the next response frame; None if the broker closed the connection."""
        deadline = time.monotonic() + self.timeout_s
        size = self.read_exactly(4, deadline)
        if size is None:
            return None
        payload = self.read_exactly(struct.unpack(">i", size)[0], deadline)
        if payload is None:
            return None
        return struct.unpack_from(">i", payload)[0], payload[4:]

    def outcome(self, wait_s):
        """'closed' if the broker closes within `wait_s`, 'answered' if bytes arrive first, else 'open'."""
        self.sock.settimeout(wait_s)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return "open"
        except ConnectionResetError:
            return "closed"
        return "answered" if data else "closed"

    def wait_closed(self, wait_s):
        """True once the broker has closed the connection (answers before the close are drained)."""
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
        return False

    def close(self):
        self.sock.close()

"""A minimal DNS client: an A query over UDP, to check that CoreDNS answers,
and an SRV query over TCP, for the probes' look at the headless Services.

Pure encode/decode functions (RFC 1035 wire format, RFC 2782 for SRV) plus
`query_a`, which sends one query to the cluster DNS Service from the host,
through kube-proxy's rules, and `query_srv_tcp`, which sends one to any
address (the probes' is a `kubectl port-forward`, which carries TCP only).
"""

from __future__ import annotations

import secrets
import socket
import struct
from dataclasses import dataclass

TYPE_A = 1
TYPE_SRV = 33
CLASS_IN = 1
RCODE_NAMES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


@dataclass(frozen=True)
class DnsAnswer:
    rcode: str
    addresses: tuple[str, ...]


def encode_query(name: str, query_id: int, qtype: int = TYPE_A) -> bytes:
    """A standard query with recursion desired, for one name."""
    header = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.strip(".").split(".") if label)
    return header + labels + b"\0" + struct.pack("!HH", qtype, CLASS_IN)


@dataclass(frozen=True)
class SrvRecord:
    priority: int
    weight: int
    port: int
    target: str
    """Fully qualified, with its final dot."""


@dataclass(frozen=True)
class SrvAnswer:
    rcode: str
    records: tuple[SrvRecord, ...]


def read_name(message: bytes, offset: int) -> tuple[str, int]:
    """The name at `offset`, its compression pointers followed, and the offset just after it."""
    labels: list[str] = []
    after: int | None = None
    for _ in range(128):  # a name has at most 127 labels; more steps mean a pointer loop
        length = message[offset]
        if length & 0xC0 == 0xC0:
            after = offset + 2 if after is None else after
            offset = ((length & 0x3F) << 8) | message[offset + 1]
        elif length == 0:
            return ".".join(labels) + ".", offset + 1 if after is None else after
        else:
            labels.append(message[offset + 1 : offset + 1 + length].decode("ascii"))
            offset += 1 + length
    raise ValueError("a name in the response loops through its compression pointers")


def _records(message: bytes, query_id: int) -> tuple[str, list[tuple[int, int, int]]]:
    """The rcode and each answer record as (type, offset of its data, its length)."""
    ident, flags, qdcount, ancount = struct.unpack("!HHHH", message[:8])
    if ident != query_id:
        raise ValueError(f"response id {ident} does not match query id {query_id}")
    offset = 12
    for _ in range(qdcount):
        offset = read_name(message, offset)[1] + 4
    found = []
    for _ in range(ancount):
        offset = read_name(message, offset)[1]
        rtype, _rclass, _ttl, length = struct.unpack("!HHIH", message[offset : offset + 10])
        found.append((rtype, offset + 10, length))
        offset += 10 + length
    rcode = flags & 0x000F
    return RCODE_NAMES.get(rcode, str(rcode)), found


def decode_response(message: bytes, query_id: int) -> DnsAnswer:
    """The rcode and the A records of a response to `query_id`."""
    rcode, found = _records(message, query_id)
    addresses = [
        socket.inet_ntoa(message[at : at + 4]) for rtype, at, length in found if rtype == TYPE_A and length == 4
    ]
    return DnsAnswer(rcode, tuple(addresses))


def decode_srv_response(message: bytes, query_id: int) -> SrvAnswer:
    """The rcode and the SRV records of a response to `query_id`."""
    rcode, found = _records(message, query_id)
    records = []
    for rtype, at, _length in found:
        if rtype == TYPE_SRV:
            priority, weight, port = struct.unpack("!HHH", message[at : at + 6])
            records.append(SrvRecord(priority, weight, port, read_name(message, at + 6)[0]))
    return SrvAnswer(rcode, tuple(records))


def query_a(server: str, name: str, timeout: float = 2.0, port: int = 53) -> DnsAnswer:
    query_id = secrets.randbelow(0x10000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(encode_query(name, query_id), (server, port))
        message, _ = sock.recvfrom(4096)
    return decode_response(message, query_id)


def _receive(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError(f"the server closed the connection after {len(data)} of {size} bytes")
        data += chunk
    return data


def query_srv_tcp(host: str, port: int, name: str, timeout: float = 5.0) -> SrvAnswer:
    """One SRV query over TCP (each message framed by its two-byte length)."""
    query_id = secrets.randbelow(0x10000)
    query = encode_query(name, query_id, TYPE_SRV)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(struct.pack("!H", len(query)) + query)
        (length,) = struct.unpack("!H", _receive(sock, 2))
        return decode_srv_response(_receive(sock, length), query_id)

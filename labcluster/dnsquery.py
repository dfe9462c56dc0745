"""A minimal DNS client: one A query over UDP, to check that CoreDNS answers.

Pure encode/decode functions (RFC 1035 wire format) plus `query_a`, which sends
one query to the cluster DNS Service from the host, through kube-proxy's rules.
"""

from __future__ import annotations

import secrets
import socket
import struct
from dataclasses import dataclass

TYPE_A = 1
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


def _skip_name(message: bytes, offset: int) -> int:
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:  # a compression pointer ends the name
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length


def decode_response(message: bytes, query_id: int) -> DnsAnswer:
    """The rcode and the A records of a response to `query_id`."""
    ident, flags, qdcount, ancount = struct.unpack("!HHHH", message[:8])
    if ident != query_id:
        raise ValueError(f"response id {ident} does not match query id {query_id}")
    offset = 12
    for _ in range(qdcount):
        offset = _skip_name(message, offset) + 4
    addresses = []
    for _ in range(ancount):
        offset = _skip_name(message, offset)
        rtype, _rclass, _ttl, length = struct.unpack("!HHIH", message[offset : offset + 10])
        offset += 10
        if rtype == TYPE_A and length == 4:
            addresses.append(socket.inet_ntoa(message[offset : offset + 4]))
        offset += length
    rcode = flags & 0x000F
    return DnsAnswer(RCODE_NAMES.get(rcode, str(rcode)), tuple(addresses))


def query_a(server: str, name: str, timeout: float = 2.0, port: int = 53) -> DnsAnswer:
    query_id = secrets.randbelow(0x10000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.sendto(encode_query(name, query_id), (server, port))
        message, _ = sock.recvfrom(4096)
    return decode_response(message, query_id)

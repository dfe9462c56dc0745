"""The DNS wire format used to check that CoreDNS answers."""

from __future__ import annotations

import struct

import pytest

from labcluster.dnsquery import decode_response, encode_query


def _response(query: bytes, rcode: int, addresses: list[bytes]) -> bytes:
    ident = query[:2]
    flags = struct.pack("!H", 0x8180 | rcode)
    counts = struct.pack("!HHHH", 1, len(addresses), 0, 0)
    answers = b"".join(b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + a for a in addresses)
    return ident + flags + counts + query[12:] + answers


def test_query_encodes_each_label_with_its_length() -> None:
    query = encode_query("kubernetes.default.svc.cluster.local.", 0x1234)
    assert query[:2] == b"\x12\x34"
    assert b"\x0akubernetes\x07default\x03svc\x07cluster\x05local\x00" in query
    assert query.endswith(b"\x00\x01\x00\x01")


def test_response_with_compressed_names_yields_its_addresses() -> None:
    query = encode_query("kubernetes.default.svc.cluster.local", 7)
    answer = decode_response(_response(query, 0, [bytes([10, 96, 0, 1]), bytes([10, 96, 0, 2])]), 7)
    assert answer.rcode == "NOERROR"
    assert answer.addresses == ("10.96.0.1", "10.96.0.2")


def test_refused_response_has_no_addresses() -> None:
    query = encode_query("example.com", 9)
    answer = decode_response(_response(query, 5, []), 9)
    assert answer == type(answer)("REFUSED", ())


def test_a_response_to_another_query_is_rejected() -> None:
    query = encode_query("example.com", 9)
    with pytest.raises(ValueError, match="does not match"):
        decode_response(_response(query, 0, []), 10)

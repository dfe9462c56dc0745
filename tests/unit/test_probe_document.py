"""The probe document as the stack stores it, and back."""

from __future__ import annotations

import json

import pytest

from probes.document import document_lines, read_document

DOC = {"checks": [{"name": "a", "verdict": "passed"}], "observed_at": "2026-11-27T00:00:00Z", "pods": {"x": [1, 2]}}


def test_one_line_per_section_and_back() -> None:
    text = document_lines(DOC)
    assert len(text.splitlines()) == 3
    assert all(len(json.loads(line)) == 1 for line in text.splitlines())
    assert read_document(text) == DOC


def test_the_text_is_not_one_json_value_so_pulumi_shortens_it() -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(document_lines(DOC))


def test_what_stack_output_json_prints_reads_back_too() -> None:
    assert read_document(json.dumps(document_lines(DOC))) == DOC


def test_an_older_one_object_document_reads_as_it_is() -> None:
    assert read_document(json.dumps(DOC)) == DOC
    assert read_document(DOC) == DOC


def test_something_else_is_refused() -> None:
    with pytest.raises(ValueError, match="JSON objects"):
        read_document("[1, 2]")

"""The probe document as the stack stores it, and back: the typed document
survives JSON on every recorded document, the form older stacks kept as their
`probes` output (one section per line) still reads, and a document an older
lab wrote in another schema is refused with the way to a current one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import get_type_hints

import pytest

from probes.document import (
    SCHEMA_VERSION,
    DocumentError,
    ProbeDocument,
    document_from_json,
    read_document,
)
from probes.facts import Observation
from tests.fixtures.documents import document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RECORDED = sorted([*(FIXTURES / "documents").glob("*.json"), *(FIXTURES / "lessons").glob("*.json")])


def older_stack_output(document: ProbeDocument) -> str:
    """The `probes` stack output of older versions: one `{"<section>": ...}` per line."""
    sections = json.loads(document.to_json())
    return "\n".join(json.dumps({key: sections[key]}, sort_keys=True) for key in sorted(sections))


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_recorded_document_survives_a_json_round_trip(path: Path) -> None:
    read = document_from_json(json.loads(path.read_text()))
    assert isinstance(read, ProbeDocument)
    assert document_from_json(json.loads(read.to_json())) == read
    assert read_document(older_stack_output(read)) == read


def test_the_recorded_documents_cover_lessons_and_the_observers_states() -> None:
    assert {p.parent.name for p in RECORDED} == {"documents", "lessons"}
    assert len(RECORDED) > 20


def test_an_older_stacks_output_of_one_line_per_section_reads_back() -> None:
    doc = document("stranger")
    text = older_stack_output(doc)
    lines = text.splitlines()
    assert len(lines) == len(json.loads(doc.to_json()))
    assert all(len(json.loads(line)) == 1 for line in lines)
    assert read_document(text) == doc


def test_what_stack_output_json_prints_reads_back_too() -> None:
    doc = document("unobserved")
    assert read_document(json.dumps(older_stack_output(doc))) == doc
    assert read_document(doc.to_json()) == doc


def test_no_document_is_none_not_an_error() -> None:
    assert read_document("") is None
    assert read_document("null") is None
    assert read_document(None) is None


def test_a_document_without_a_schema_version_names_the_fix() -> None:
    older = json.loads(document("stranger").to_json())
    del older["schema_version"]
    with pytest.raises(DocumentError, match=r"schema version 1 and this lab reads version 2: .*make report STACK="):
        read_document(json.dumps(older))


def test_a_document_missing_a_section_names_it_and_the_fix() -> None:
    broken = json.loads(document("stranger").to_json())
    del broken["expectations"]
    with pytest.raises(DocumentError, match=r"document has no 'expectations'.*make report STACK="):
        document_from_json(broken)


def test_a_value_of_the_wrong_type_names_where_it_is() -> None:
    broken = json.loads(document("stranger").to_json())
    broken["checks"][0]["verdict"] = "maybe"
    with pytest.raises(DocumentError, match=r"document\.checks\[0\]\.verdict is 'maybe'"):
        document_from_json(broken)


def test_true_is_not_a_number_in_a_document() -> None:
    broken = json.loads(document("stranger").to_json())
    broken["dns_attempts"] = True
    with pytest.raises(DocumentError, match=r"document\.dns_attempts is True, not a number"):
        document_from_json(broken)


def test_a_section_a_newer_lab_added_is_ignored_and_a_missing_optional_one_is_its_default() -> None:
    stored = json.loads(document("stranger").to_json())
    stored["something_new"] = {"x": 1}
    del stored["dns_ended"]
    assert document_from_json(stored) == replace(document("stranger"), dns_ended="")
    assert document("stranger").schema_version == SCHEMA_VERSION


def test_something_else_is_refused() -> None:
    with pytest.raises(DocumentError, match="JSON objects"):
        read_document("[1, 2]")


def test_the_sections_taken_from_the_observation_have_its_types() -> None:
    document_types, observed_types = get_type_hints(ProbeDocument), get_type_hints(Observation)
    shared = set(document_types) & set(observed_types)
    assert shared == {
        "statefulset", "deployment", "services", "lesson", "nodes", "claims", "dns", "dns_error", "events",
        "stable_storage", "stable_storage_error", "revisions", "actions", "actions_source", "srv", "scalings",
    }  # fmt: skip
    assert all(document_types[name] == observed_types[name] for name in shared)

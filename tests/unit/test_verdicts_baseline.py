"""Every recorded probe document, judged again by the current checks, gives the
verdicts of the snapshot (tests/fixtures/verdicts-baseline.json). A refactoring
keeps them; a change meant to alter verdicts writes the snapshot again with
`.venv/bin/python -m tests.fixtures.verdicts` and shows the difference in review."""

from __future__ import annotations

import json

from tests.fixtures.verdicts import BASELINE, recorded_documents, verdicts


def test_every_recorded_document_gives_the_verdicts_of_the_snapshot() -> None:
    snapshot = json.loads(BASELINE.read_text())
    now = verdicts()
    assert sorted(now) == sorted(snapshot), "a recorded document was added or removed: write the snapshot again"
    for name, expected in snapshot.items():
        assert now[name] == expected, f"{name}: verdicts differ from the snapshot"


def test_the_snapshot_covers_lessons_and_observer_documents() -> None:
    names = {path.parent.name for path in recorded_documents()}
    assert names == {"lessons", "documents"}
    snapshot = json.loads(BASELINE.read_text())
    assert sum(len(v) for v in snapshot.values()) > 100

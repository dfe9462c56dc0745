"""Every lesson is defined once, in probes.lesson_catalogue, and everything
that lists lessons agrees with it: the config's choices, the action that runs
it, the checks that judge it, the report topic and the docs section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from lessons.__main__ import ACTIONS
from probes.checks.lessons import LESSON_CHECKS
from probes.lesson_catalogue import CATALOGUE, LESSONS, TOPIC, WITHOUT_STATEFULSET, LessonName
from probes.topics import TOPICS, Topic

EXPERIMENTS = Path(__file__).resolve().parents[2] / "docs" / "experiments.md"
DOES_NOTHING: set[str] = {"none"}


def anchors(markdown: str) -> set[str]:
    """GitHub's anchors of the headings: lower case, punctuation dropped, spaces as hyphens."""
    titles = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", t.strip().lower()).replace(" ", "-") for t in titles}


def test_the_catalogue_holds_every_lesson_name_and_the_config_offers_them() -> None:
    assert set(CATALOGUE) == set(get_args(LessonName))
    assert tuple(CATALOGUE) == LESSONS
    assert all(name == lesson.name for name, lesson in CATALOGUE.items())


def test_every_lesson_has_an_action_checks_a_topic_and_a_docs_section() -> None:
    sections = anchors(EXPERIMENTS.read_text())
    acting = {str(name) for name in CATALOGUE} - DOES_NOTHING
    assert set(ACTIONS) == acting, "an action (lessons.__main__.ACTIONS) missing or without a lesson"
    assert set(LESSON_CHECKS) == acting, "checks (probes.checks.lessons) missing or without a lesson"
    for lesson in CATALOGUE.values():
        assert lesson.topic in TOPICS, f"{lesson.name}: topic {lesson.topic!r} is not a report topic"
        assert lesson.docs in sections, f"{lesson.name}: docs/experiments.md has no section #{lesson.docs}"
        assert lesson.does, f"{lesson.name}: says nothing of what it does"


def test_the_derived_lists_come_from_the_catalogue() -> None:
    assert WITHOUT_STATEFULSET == ("orphan", "cascade-delete")
    assert TOPIC["delete-pods"] == "identity"
    assert TOPIC["drain"] == "nodes"


def test_every_topic_a_lesson_can_name_has_a_title_in_the_report() -> None:
    assert set(get_args(Topic)) == set(TOPICS)


def test_heading_anchors_drop_punctuation_as_github_does() -> None:
    assert anchors("## Deleting the StatefulSet: orphan, adopt, cascade\n") == {
        "deleting-the-statefulset-orphan-adopt-cascade"
    }

"""The tutorial's steps (labstack.experiments) are docs/experiments.md's: the
same `make up` (and `make report`) lines in the same order, with the same
comments, under the same headings; the captured ones are the documents in
tests/fixtures/lessons. So the docs, `make tour` and the capture of the
fixtures cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labstack.experiments import TUTORIAL, experiments, sections, stack_file_config

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "experiments.md"
LESSONS = ROOT / "tests" / "fixtures" / "lessons"
COMMAND = re.compile(r"^make (up|report) STACK=[a-z]")


def docs_commands() -> list[tuple[str, str]]:
    """(command, comment) of every `make up`/`make report` line of a real stack in the docs' code blocks."""
    found = []
    for line in DOCS.read_text().splitlines():
        if COMMAND.match(line):
            command, _, comment = line.partition(" #")
            found.append((command.strip(), comment.strip()))
    return found


def test_the_tour_runs_exactly_the_make_up_lines_of_the_docs_in_their_order() -> None:
    documented = [command for command, _ in docs_commands()]
    defined = [command for step in TUTORIAL for command in step.commands]
    missing = [c for c in documented if c not in defined]
    extra = [c for c in defined if c not in documented]
    assert not missing, f"docs/experiments.md has steps labstack/experiments.py lacks: {missing}"
    assert not extra, f"labstack/experiments.py has steps docs/experiments.md lacks: {extra}"
    assert defined == documented, "the same steps, in another order"


def test_each_step_says_what_its_comment_in_the_docs_says() -> None:
    comments = [comment for command, comment in docs_commands() if command.startswith("make up")]
    assert [step.says for step in TUTORIAL] == comments


def test_each_step_sits_under_the_docs_heading_it_names() -> None:
    headings, current = {}, ""
    for line in DOCS.read_text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
        elif COMMAND.match(line) and line.startswith("make up"):
            headings[line.partition(" #")[0].strip()] = current
    assert {step.make_command: step.section for step in TUTORIAL} == headings


def test_step_names_are_unique_so_from_can_name_any() -> None:
    names = [step.name for step in TUTORIAL]
    assert len(names) == len(set(names)) == 53


def test_the_captured_steps_are_the_recorded_lesson_documents() -> None:
    assert {step.name for step in TUTORIAL if step.captured} == {path.stem for path in LESSONS.glob("*.json")}


def test_every_experiment_starts_with_the_stacks_own_up_and_has_a_stack_file() -> None:
    for experiment in experiments():
        first, *_ = experiment.steps
        assert first.config == () and not first.refresh, experiment.stack
        assert (ROOT / "stacks" / f"Pulumi.{experiment.stack}.yaml").exists()


def test_only_the_node_experiment_takes_nodes_away() -> None:
    assert [e.stack for e in experiments() if e.takes_nodes_away] == ["nodes"]


def test_the_sections_come_in_the_docs_order() -> None:
    order = [line[3:].strip() for line in DOCS.read_text().splitlines() if line.startswith("## ")]
    titles = [title for title, _ in sections()]
    assert titles == [t for t in order if t in titles]


def test_a_stack_file_is_read_without_the_project_prefix_and_as_config_text() -> None:
    assert stack_file_config("nodes") == {"namespace": "lab-nodes", "spreadAcrossNodes": "true"}
    assert stack_file_config("seed") == {}


def test_a_stack_that_has_no_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"Pulumi\.nowhere\.yaml"):
        stack_file_config("nowhere", tmp_path)


def test_the_make_command_is_the_one_a_learner_types() -> None:
    adopt = next(step for step in TUTORIAL if step.name == "adopt")
    assert adopt.make_command == 'make up STACK=orphan SET="lesson=adopt replicas=2" REFRESH=1'
    stalled = next(step for step in TUTORIAL if step.name == "rollback-stalled")
    assert stalled.commands[1] == "make report STACK=rollback"

"""A checkpoint an up killed while writing it is put back from the backend's own backup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labstack.checkpoint import restore_cut_checkpoint, stack_file
from labstack.pulumi_cli import PulumiError

STATE = {"version": 3, "checkpoint": {"stack": "organization/statefulset-lab/lab"}}


def _write(root: Path, name: str, text: str) -> Path:
    path = stack_file(root, "lab").with_name(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_an_empty_checkpoint_is_put_back_from_its_backup_and_kept(tmp_path: Path) -> None:
    _write(tmp_path, "lab.json", "")
    _write(tmp_path, "lab.json.bak", json.dumps(STATE))
    said = restore_cut_checkpoint(tmp_path, "lab")
    assert json.loads(stack_file(tmp_path, "lab").read_text()) == STATE
    assert said and "put back the checkpoint of stack lab" in said[0]
    assert [p.read_text() for p in stack_file(tmp_path, "lab").parent.glob("lab.json.cut-*")] == [""]


def test_a_readable_checkpoint_or_a_new_stack_is_left_alone(tmp_path: Path) -> None:
    assert restore_cut_checkpoint(tmp_path, "lab") == []
    _write(tmp_path, "lab.json", json.dumps(STATE))
    _write(tmp_path, "lab.json.bak", "{}")
    assert restore_cut_checkpoint(tmp_path, "lab") == []
    assert json.loads(stack_file(tmp_path, "lab").read_text()) == STATE


def test_a_cut_checkpoint_without_a_backup_names_the_way_back(tmp_path: Path) -> None:
    _write(tmp_path, "lab.json", '{"version": 3, "checkp')
    with pytest.raises(PulumiError, match="pulumi stack import"):
        restore_cut_checkpoint(tmp_path, "lab")

"""A checkpoint an up killed while writing it is put back from the backend's own backup."""

from __future__ import annotations

import base64
import hashlib
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


def test_attributes_cut_short_beside_a_whole_checkpoint_are_written_again_for_it(tmp_path: Path) -> None:
    # Seen after a SIGKILL mid-up: the checkpoint whole, its .attrs empty, and
    # `pulumi stack select` failing with "failed to load checkpoint: EOF".
    text = json.dumps(STATE)
    _write(tmp_path, "lab.json", text)
    _write(tmp_path, "lab.json.attrs", "")
    _write(tmp_path, "lab.json.bak.attrs", json.dumps({"user.content_type": "text/plain; charset=utf-8", "md5": "x"}))
    said = restore_cut_checkpoint(tmp_path, "lab")
    attrs = json.loads(stack_file(tmp_path, "lab").with_name("lab.json.attrs").read_text())
    assert attrs["md5"] == base64.b64encode(hashlib.md5(text.encode()).digest()).decode()
    assert attrs["user.content_type"] == "text/plain; charset=utf-8"
    assert json.loads(stack_file(tmp_path, "lab").read_text()) == STATE, "the newest checkpoint is kept"
    assert said and "wrote the attributes of stack lab's checkpoint again" in said[0]
    assert [p.read_text() for p in stack_file(tmp_path, "lab").parent.glob("lab.json.attrs.cut-*")] == [""]


def test_whole_attributes_are_left_alone(tmp_path: Path) -> None:
    _write(tmp_path, "lab.json", json.dumps(STATE))
    _write(tmp_path, "lab.json.attrs", '{"md5": "x"}')
    assert restore_cut_checkpoint(tmp_path, "lab") == []

"""Image archives are reproducible and share layers between images."""

from __future__ import annotations

import json
import os
import tarfile
import time
from pathlib import Path

from labcluster.imagearchive import FIXED_MTIME, Image, ImageConfig, write_archive, write_layer


def _tree(root: Path) -> Path:
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "tool").write_bytes(b"#!/bin/sh\necho hi\n")
    os.chmod(root / "bin" / "tool", 0o755)
    (root / "bin" / "alias").symlink_to("tool")
    os.link(root / "bin" / "tool", root / "bin" / "hard")
    (root / "etc").mkdir()
    (root / "etc" / "config").write_text("x=1\n")
    return root


def test_the_same_tree_gives_the_same_layer_digest_whatever_the_file_times(tmp_path: Path) -> None:
    first = write_layer(_tree(tmp_path / "a"), tmp_path / "a.tar")
    time.sleep(0.01)
    second_tree = _tree(tmp_path / "b")
    os.utime(second_tree / "etc" / "config", (1, 1))
    second = write_layer(second_tree, tmp_path / "b.tar")
    assert first.digest == second.digest
    assert first.digest.startswith("sha256:")


def test_layer_entries_are_sorted_with_fixed_times_and_no_owner_names(tmp_path: Path) -> None:
    layer = write_layer(_tree(tmp_path / "t"), tmp_path / "t.tar")
    with tarfile.open(layer.path) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == ["bin", "bin/alias", "bin/hard", "bin/tool", "etc", "etc/config"]
    assert {m.mtime for m in members} == {FIXED_MTIME}
    assert {m.uname for m in members} == {""}
    by_name = {m.name: m for m in members}
    assert by_name["bin/alias"].issym() and by_name["bin/alias"].linkname == "tool"
    assert by_name["bin/tool"].islnk() and by_name["bin/tool"].linkname == "bin/hard"


def test_archive_stores_a_shared_layer_once_and_tags_every_image(tmp_path: Path) -> None:
    base = write_layer(_tree(tmp_path / "base"), tmp_path / "base.tar")
    (tmp_path / "top" / "etc").mkdir(parents=True)
    (tmp_path / "top" / "etc" / "stamp").write_text("two\n")
    top = write_layer(tmp_path / "top", tmp_path / "top.tar")
    images = [
        Image("example.org/one:1", (base,), ImageConfig(cmd=("sh",))),
        Image("example.org/two:2", (base, top), ImageConfig(entrypoint=("/bin/tool",))),
    ]
    write_archive(images, tmp_path / "out.tar")
    with tarfile.open(tmp_path / "out.tar") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        config = json.loads(tar.extractfile(manifest[1]["Config"]).read())  # type: ignore[union-attr]
    assert sum(name.endswith("layer.tar") for name in names) == 2
    assert [m["RepoTags"] for m in manifest] == [["example.org/one:1"], ["example.org/two:2"]]
    assert config["rootfs"]["diff_ids"] == [base.digest, top.digest]
    assert config["config"]["Entrypoint"] == ["/bin/tool"]


def test_writing_the_same_archive_twice_gives_identical_bytes(tmp_path: Path) -> None:
    layer = write_layer(_tree(tmp_path / "t"), tmp_path / "t.tar")
    image = Image("example.org/one:1", (layer,), ImageConfig(cmd=("sh",)))
    write_archive([image], tmp_path / "1.tar")
    write_archive([image], tmp_path / "2.tar")
    assert (tmp_path / "1.tar").read_bytes() == (tmp_path / "2.tar").read_bytes()

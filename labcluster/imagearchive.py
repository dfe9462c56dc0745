"""Deterministic image archives (the `docker save` layout that `ctr images import` reads).

A layer is an uncompressed tar of a directory tree with sorted entries, one fixed
timestamp and no user names, so the same tree always gives the same digest. An
archive holds one or more images that share layers; each layer is stored once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Every file in every layer carries this time (2024-01-01T00:00:00Z).
FIXED_MTIME = 1704067200
FIXED_CREATED = "2024-01-01T00:00:00Z"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class Layer:
    """A layer tar on disk and its digest (the diff ID: sha256 of the tar)."""

    path: Path
    digest: str


@dataclass(frozen=True)
class ImageConfig:
    """The runtime part of an image config."""

    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    env: tuple[str, ...] = (f"PATH={DEFAULT_PATH}",)
    working_dir: str = "/"
    exposed_ports: tuple[str, ...] = ()
    stop_signal: str = ""
    user: str = ""


@dataclass(frozen=True)
class Image:
    name: str
    layers: tuple[Layer, ...]
    config: ImageConfig = field(default_factory=ImageConfig)
    description: str = ""


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def _walk_sorted(root: Path) -> list[Path]:
    """Every path under root (not root itself), parents before children, sorted by name."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(dirpath)
        entries = sorted(dirnames + filenames)
        found.extend(base / name for name in entries)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def write_layer(root: Path, out: Path) -> Layer:
    """Writes the tree under `root` as a reproducible layer tar."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in _walk_sorted(root):
            arcname = path.relative_to(root).as_posix()
            info = tar.gettarinfo(str(path), arcname)
            mode = path.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                continue  # device nodes, sockets, fifos: the runtime provides /dev
            info.mtime = FIXED_MTIME
            info.uname = info.gname = ""
            if info.isreg():
                with open(path, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    os.replace(tmp, out)
    return Layer(out, _sha256_file(out))


def image_config_json(image: Image) -> bytes:
    c = image.config
    runtime: dict[str, Any] = {"Env": list(c.env), "WorkingDir": c.working_dir}
    if c.entrypoint:
        runtime["Entrypoint"] = list(c.entrypoint)
    if c.cmd:
        runtime["Cmd"] = list(c.cmd)
    if c.exposed_ports:
        runtime["ExposedPorts"] = {port: {} for port in c.exposed_ports}
    if c.stop_signal:
        runtime["StopSignal"] = c.stop_signal
    if c.user:
        runtime["User"] = c.user
    document = {
        "architecture": "amd64",
        "os": "linux",
        "created": FIXED_CREATED,
        "config": runtime,
        "rootfs": {"type": "layers", "diff_ids": [layer.digest for layer in image.layers]},
        "history": [
            {"created": FIXED_CREATED, "created_by": f"statefulset-lab: {image.description}"} for _ in image.layers
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = FIXED_MTIME
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def write_archive(images: list[Image], out: Path) -> None:
    """Writes a docker-save style archive with every image and each layer once."""
    manifest: list[dict[str, Any]] = []
    configs: dict[str, bytes] = {}
    layers: dict[str, Layer] = {}
    for image in images:
        config = image_config_json(image)
        config_name = hashlib.sha256(config).hexdigest() + ".json"
        configs[config_name] = config
        for layer in image.layers:
            layers[layer.digest] = layer
        manifest.append(
            {
                "Config": config_name,
                "RepoTags": [image.name],
                "Layers": [f"{layer.digest.split(':')[1]}/layer.tar" for layer in image.layers],
            }
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for digest in sorted(layers):
            info = tar.gettarinfo(str(layers[digest].path), f"{digest.split(':')[1]}/layer.tar")
            info.mtime, info.mode, info.uid, info.gid = FIXED_MTIME, 0o644, 0, 0
            info.uname = info.gname = ""
            with open(layers[digest].path, "rb") as f:
                tar.addfile(info, f)
        for name in sorted(configs):
            _add_bytes(tar, name, configs[name])
        _add_bytes(tar, "manifest.json", json.dumps(manifest, sort_keys=True).encode())
    os.replace(tmp, out)

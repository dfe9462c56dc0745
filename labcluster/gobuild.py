"""Builds the lab's two small Go programs (pause, nslookup) reproducibly and caches them.

Sources live in labcluster/go/<name>/main.go (standard library only). A build is
static (CGO off), stripped, path- and build-id-free, so the same source and Go
version give the same bytes. The cache key is the source alone, so a cached binary
is used without Go being installed; Go is needed only to build a changed source.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import LabError

GO_SOURCES = Path(__file__).parent / "go"


def find_go() -> str:
    found = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if not found:
        raise LabError(
            "the Go toolchain (`go`) is not on PATH; the pause and nslookup images need it",
            "install Go >= 1.22 (as for `make toolchain`) and run `make cluster-up` again",
        )
    return found


def source_digest(name: str) -> str:
    digest = hashlib.sha256()
    for path in sorted((GO_SOURCES / name).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(GO_SOURCES).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_go_program(name: str, cache: Path, go_cache: Path) -> Path:
    """The cached binary of labcluster/go/<name>, built first if needed."""
    binary = cache / "go-programs" / f"{name}-{source_digest(name)[:16]}"
    if binary.exists():
        return binary
    go = find_go()
    binary.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / name
        shutil.copytree(GO_SOURCES / name, work)
        (work / "go.mod").write_text(f"module statefulsetlab.local/{name}\n\ngo 1.22\n")
        env = {
            **os.environ,
            "CGO_ENABLED": "0",
            "GOOS": "linux",
            "GOARCH": "amd64",
            "GOFLAGS": "-mod=mod",
            "GOTOOLCHAIN": "local",
            "GOCACHE": str(go_cache),
            "GOPATH": str(Path(tmp) / "gopath"),
        }
        out = Path(tmp) / "out"
        argv = [
            go,
            "build",
            "-trimpath",
            "-buildvcs=false",
            "-ldflags=-s -w -buildid=",
            "-o",
            str(out),
            ".",
        ]
        done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise LabError(f"building {name} with Go failed", "check the Go installation", done.stderr)
        shutil.copy2(out, binary.with_suffix(".tmp"))
        os.replace(binary.with_suffix(".tmp"), binary)
    for stale in binary.parent.glob(f"{name}-*"):
        if stale != binary:
            stale.unlink()
    return binary

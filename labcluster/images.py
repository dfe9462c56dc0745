"""The images the lab cluster runs, built here and imported into containerd.

Bundles (one archive each, layers shared inside it):
- pause: registry.k8s.io/pause:3.10.2, containerd's sandbox image (labcluster/go/pause).
- coredns: localhost/statefulset-lab/coredns:<COREDNS_VERSION>, the toolchain's coredns.
- busybox: docker.io/library/busybox:latest (Debian's static busybox as is) and :1.28
  (the same, with the resolv.conf-honouring nslookup of labcluster/go/nslookup,
  which the shell finds too: busybox's own nslookup applet is renamed away).
- local-path-provisioner: docker.io/rancher/local-path-provisioner:<version>, the
  toolchain's static binary at /usr/bin/local-path-provisioner, as upstream's scratch image.
- nginx-slim: every tag the stacks use, one Debian nginx layer plus a tag stamp.

An archive is cached under <cache>/images, named by a key over its inputs (binaries,
package set, image names, the builder's own source), so a second `up` builds
nothing. Every node's containerd gets every bundle (workloads, the DNS probe's
busybox and the provisioner run on the workers); each node records what it has in
its own state (`images-imported.json`), and a bundle is imported only into a
containerd that does not have it at that key.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import rootfs
from .errors import LabError
from .gobuild import build_go_program
from .imagearchive import Image, ImageConfig, Layer, write_archive, write_layer
from .mounts import unmount_under
from .paths import LabPaths
from .processes import tail
from .versions import pinned

PAUSE_IMAGE = "registry.k8s.io/pause:3.10.2"
BUSYBOX_LATEST = "docker.io/library/busybox:latest"
BUSYBOX_1_28 = "docker.io/library/busybox:1.28"
NGINX_SLIM_IMAGES = (
    "registry.k8s.io/nginx-slim:0.24",
    "registry.k8s.io/nginx-slim:0.21",
    "k8s.gcr.io/nginx-slim:0.8",
    "k8s.gcr.io/nginx-slim:0.7",
)
CONTAINERD_NAMESPACE = "k8s.io"
BUILDER_SOURCES = ("images.py", "imagearchive.py", "rootfs.py")


def coredns_image() -> str:
    return f"localhost/statefulset-lab/coredns:{pinned('COREDNS_VERSION')}"


def provisioner_image() -> str:
    return f"docker.io/rancher/local-path-provisioner:{pinned('LOCAL_PATH_PROVISIONER_VERSION')}"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def builder_digest() -> str:
    here = Path(__file__).parent
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in BUILDER_SOURCES)).hexdigest()


def bundle_key(name: str, image_names: tuple[str, ...], inputs: dict[str, str]) -> str:
    """The cache key of a bundle: its names, its inputs and the builder's source."""
    payload = json.dumps(
        {"bundle": name, "images": image_names, "inputs": inputs, "builder": builder_digest()},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Bundle:
    """Images built and imported together; `build` writes their layers under a work dir."""

    name: str
    image_names: tuple[str, ...]
    inputs: dict[str, str]
    build: Callable[[Path], list[Image]]

    @property
    def key(self) -> str:
        return bundle_key(self.name, self.image_names, self.inputs)


def _stamp(tag: str) -> dict[str, tuple[bytes | Path, int]]:
    """A file naming the image; it makes each tag's content, and digest, its own."""
    return {"etc/statefulset-lab-image": (f"{tag}\n".encode(), 0o644)}


def _layer(work: Path, name: str, files: dict[str, tuple[bytes | Path, int]]) -> Layer:
    return write_layer(rootfs.small_tree(work / f"{name}-tree", files), work / f"{name}.tar")


def _busybox_layer(work: Path) -> Layer:
    return write_layer(rootfs.busybox_tree(work / "busybox-tree"), work / "busybox.tar")


def _pause_bundle(paths: LabPaths, go_cache: Path) -> Bundle:
    binary = build_go_program("pause", paths.image_cache, go_cache)

    def build(work: Path) -> list[Image]:
        layer = _layer(work, "pause", {"pause": (binary, 0o755)})
        config = ImageConfig(entrypoint=("/pause",), env=(), user="65535:65535")
        return [Image(PAUSE_IMAGE, (layer,), config, "pause from labcluster/go/pause")]

    return Bundle("pause", (PAUSE_IMAGE,), {"pause": file_digest(binary)}, build)


def _coredns_bundle(paths: LabPaths) -> Bundle:
    binary = (paths.toolchain_bin / "coredns").resolve()
    name = coredns_image()

    def build(work: Path) -> list[Image]:
        layer = _layer(work, "coredns", {"coredns": (binary, 0o755)})
        config = ImageConfig(entrypoint=("/coredns",), exposed_ports=("53/tcp", "53/udp"))
        return [Image(name, (layer,), config, "coredns from the toolchain")]

    return Bundle("coredns", (name,), {"coredns": file_digest(binary)}, build)


def _busybox_bundle(paths: LabPaths, go_cache: Path) -> Bundle:
    nslookup = build_go_program("nslookup", paths.image_cache, go_cache)
    inputs = {"busybox": file_digest(Path("/bin/busybox")), "nslookup": file_digest(nslookup)}

    def build(work: Path) -> list[Image]:
        base = _busybox_layer(work)
        latest = _layer(work, "latest", _stamp(BUSYBOX_LATEST))
        shell_finds_path = rootfs.busybox_without_applet(Path("/bin/busybox"), "nslookup", work / "busybox")
        old_nslookup = {
            "bin/busybox": (shell_finds_path, 0o755),
            "bin/nslookup": (nslookup, 0o755),
            **_stamp(BUSYBOX_1_28),
        }
        legacy = _layer(work, "1.28", old_nslookup)
        config = ImageConfig(cmd=("sh",))
        return [
            Image(BUSYBOX_LATEST, (base, latest), config, "Debian busybox-static"),
            Image(BUSYBOX_1_28, (base, legacy), config, "busybox with a 1.28-style nslookup"),
        ]

    return Bundle("busybox", (BUSYBOX_LATEST, BUSYBOX_1_28), inputs, build)


def _provisioner_bundle(paths: LabPaths) -> Bundle:
    binary = (paths.toolchain_bin / "local-path-provisioner").resolve()
    name = provisioner_image()

    def build(work: Path) -> list[Image]:
        # Like the upstream image: FROM scratch, the static binary in /usr/bin.
        files = {"usr/bin/local-path-provisioner": (binary, 0o755), **_stamp(name)}
        layer = _layer(work, "provisioner", files)
        config = ImageConfig(cmd=("/usr/bin/local-path-provisioner",))
        return [Image(name, (layer,), config, "local-path-provisioner from the toolchain")]

    return Bundle("local-path-provisioner", (name,), {"provisioner": file_digest(binary)}, build)


def _nginx_bundle(log_file: Path) -> Bundle:
    inputs = {
        "suite": rootfs.DEBIAN_SUITE,
        "mirror": rootfs.DEBIAN_MIRROR,
        "packages": ",".join(rootfs.NGINX_PACKAGES),
    }

    def build(work: Path) -> list[Image]:
        base = write_layer(rootfs.nginx_tree(work / "nginx-tree", log_file), work / "nginx.tar")
        config = ImageConfig(
            cmd=("nginx", "-g", "daemon off;"),
            exposed_ports=("80/tcp",),
            stop_signal="SIGQUIT",
        )
        images = []
        for index, tag in enumerate(NGINX_SLIM_IMAGES):
            stamp = _layer(work, f"nginx-stamp-{index}", _stamp(tag))
            images.append(Image(tag, (base, stamp), config, "Debian nginx-light and curl"))
        return images

    return Bundle("nginx-slim", NGINX_SLIM_IMAGES, inputs, build)


def lab_bundles(paths: LabPaths) -> list[Bundle]:
    go_cache = paths.cache / "go" / "build"
    log_file = paths.log_file("images")
    return [
        _pause_bundle(paths, go_cache),
        _coredns_bundle(paths),
        _busybox_bundle(paths, go_cache),
        _provisioner_bundle(paths),
        _nginx_bundle(log_file),
    ]


def archive_path(paths: LabPaths, bundle: Bundle) -> Path:
    return paths.image_cache / f"{bundle.name}-{bundle.key}.tar"


def ensure_archive(paths: LabPaths, bundle: Bundle, say: Callable[[str], None]) -> Path:
    """The bundle's cached archive, built first when its inputs changed."""
    target = archive_path(paths, bundle)
    if target.exists():
        return target
    say(f"images: building {bundle.name} ({', '.join(bundle.image_names)})")
    started = time.monotonic()
    paths.image_cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.image_cache, prefix="work-") as tmp:
        try:
            write_archive(bundle.build(Path(tmp)), target)
        finally:
            # A failed debootstrap may leave mounts; never delete through them.
            unmount_under(Path(tmp))
    for stale in paths.image_cache.glob(f"{bundle.name}-*.tar"):
        if stale != target:
            stale.unlink()
    say(f"images: built {bundle.name} in {time.monotonic() - started:.0f}s -> {target}")
    return target


def ctr_argv(paths: LabPaths) -> list[str]:
    """The toolchain's ctr, talking to a node's containerd in the Kubernetes namespace."""
    return [str(paths.toolchain_bin / "ctr"), "--address", str(paths.containerd_socket), "-n", CONTAINERD_NAMESPACE]


def _ctr(paths: LabPaths, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ctr_argv(paths), *args], capture_output=True, text=True, check=False, timeout=timeout)


def containerd_images(paths: LabPaths) -> set[str]:
    done = _ctr(paths, "images", "ls", "-q", timeout=60)
    if done.returncode != 0:
        raise LabError("cannot list containerd's images", "see the containerd log", done.stderr)
    return set(done.stdout.split())


def import_record(paths: LabPaths) -> Path:
    return paths.state / "images-imported.json"


def import_missing(paths: LabPaths, bundles: list[Bundle], say: Callable[[str], None]) -> list[str]:
    """Imports every bundle containerd lacks (building it first if needed); returns their names."""
    record_file = import_record(paths)
    try:
        record: dict[str, str] = json.loads(record_file.read_text())
    except (OSError, ValueError):
        record = {}
    present = containerd_images(paths)
    imported: list[str] = []
    for bundle in bundles:
        archive = ensure_archive(paths, bundle, say)
        if record.get(bundle.name) == bundle.key and set(bundle.image_names) <= present:
            continue
        done = _ctr(paths, "images", "import", str(archive))
        if done.returncode != 0:
            raise LabError(
                f"importing the {bundle.name} images into containerd failed",
                f"see {paths.log_file('containerd')}; `make cluster-reset` rebuilds its store",
                done.stdout + done.stderr + "\n" + tail(paths.log_file("containerd"), 10),
            )
        with open(paths.log_file("images"), "a") as log:
            log.write(done.stdout)
        record[bundle.name] = bundle.key
        record_file.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
        imported.append(bundle.name)
    return imported

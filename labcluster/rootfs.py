"""Root file systems of the lab's images, built from Debian packages and built binaries.

- busybox: Debian's static busybox with one link per applet, plus the passwd/group
  files and directories the upstream busybox image has.
- nginx: `debootstrap --variant=minbase` with nginx-light and curl, set up like the
  nginx-slim image (site root /usr/share/nginx/html on port 80, logs to the
  container's stdout/stderr), then stripped of logs, caches, docs and other
  build-time noise so that the same packages give the same tree.
- `small_tree`: a few files (binaries, a version stamp) for thin top layers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import LabError

DEBIAN_SUITE = "bookworm"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
NGINX_PACKAGES = ("nginx-light", "curl")
# 2024-01-01 in days since the epoch: the "last password change" written to shadow.
FIXED_SHADOW_DAY = "19723"

BUSYBOX_PASSWD = """root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
"""
BUSYBOX_GROUP = """root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:
www-data:x:33:
operator:x:37:
users:x:100:
nogroup:x:65533:
nobody:x:65534:
"""

NGINX_SITE = """# statefulset-lab: serve /usr/share/nginx/html on port 80, as nginx-slim does.
server {
    listen 80 default_server;
    server_name _;
    root /usr/share/nginx/html;
    index index.html index.htm;
    location / {
        try_files $uri $uri/ =404;
    }
}
"""
NGINX_INDEX = """<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and working.</p>
</body>
</html>
"""
# Left by debootstrap or dpkg, different on every build, useless in an image.
NGINX_NOISE = (
    "var/log",
    "var/cache/apt",
    "var/cache/ldconfig/aux-cache",
    "var/lib/apt/lists",
    "var/cache/debconf/config.dat-old",
    "var/cache/debconf/templates.dat-old",
    "var/lib/dpkg/status-old",
    "var/lib/dpkg/diversions-old",
    "var/lib/dpkg/available-old",
    "etc/passwd-",
    "etc/group-",
    "etc/shadow-",
    "etc/gshadow-",
    "etc/machine-id",
    "etc/hostname",
    "etc/hosts",
    "etc/resolv.conf",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "usr/share/lintian",
    "var/www/html",
)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def small_tree(dest: Path, files: dict[str, tuple[bytes | Path, int]]) -> Path:
    """A tree of a few files: image path -> (content or source file, mode)."""
    for name, (content, mode) in files.items():
        target = dest / name.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content)
        os.chmod(target, mode)
    for directory in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        os.chmod(directory, 0o755)
    return dest


def busybox_tree(dest: Path, busybox: Path = Path("/bin/busybox")) -> Path:
    """The busybox image's root: /bin/busybox, a symlink per applet, /etc basics."""
    if not busybox.exists():
        raise LabError(f"{busybox} is missing", "run `make system-packages` (busybox-static)")
    listing = subprocess.run([str(busybox), "--list"], capture_output=True, text=True, check=True)
    (dest / "bin").mkdir(parents=True)
    shutil.copyfile(busybox, dest / "bin" / "busybox")
    os.chmod(dest / "bin" / "busybox", 0o755)
    for applet in sorted(set(listing.stdout.split())):
        if applet != "busybox":
            (dest / "bin" / applet).symlink_to("busybox")
    for directory, mode in (
        ("etc", 0o755), ("home", 0o755), ("root", 0o700), ("tmp", 0o1777),
        ("usr/sbin", 0o755), ("var/spool/mail", 0o755), ("var/www", 0o755),
    ):  # fmt: skip
        (dest / directory).mkdir(parents=True, exist_ok=True)
        os.chmod(dest / directory, mode)
    (dest / "etc" / "passwd").write_text(BUSYBOX_PASSWD)
    (dest / "etc" / "group").write_text(BUSYBOX_GROUP)
    (dest / "etc" / "nsswitch.conf").write_text("hosts: files dns\n")
    for path in [dest, dest / "bin", dest / "usr", dest / "var", dest / "var/spool"]:
        os.chmod(path, 0o755)
    for name in ("passwd", "group", "nsswitch.conf"):
        os.chmod(dest / "etc" / name, 0o644)
    return dest


def busybox_without_applet(busybox: Path, applet: str, dest: Path) -> Path:
    """A copy of busybox in which `applet` is no longer an applet.

    Debian's busybox runs its own applet for a command name even when PATH holds
    another program of that name ("standalone shell"). Renaming the applet in its
    sorted name table (last letter -> "X", order kept) lets `nslookup` typed in a
    shell find /bin/nslookup instead.
    """
    data = busybox.read_bytes()
    entry = b"\0" + applet.encode() + b"\0"
    if data.count(entry) != 1:
        raise LabError(f"cannot find the {applet} applet in {busybox} exactly once", "report this")
    renamed = b"\0" + applet[:-1].encode() + b"X\0"
    dest.write_bytes(data.replace(entry, renamed))
    os.chmod(dest, 0o755)
    # busybox picks the applet by argv[0]: call it "busybox" whatever the file is named.
    listed = subprocess.run(["busybox", "--list"], executable=dest, capture_output=True, text=True, check=True)
    listing = listed.stdout.split()
    if applet in listing or listing != sorted(listing):
        raise LabError(f"renaming the {applet} applet in {busybox} failed", "report this")
    return dest


def _fix_shadow_dates(path: Path) -> None:
    """Replaces the build day in shadow's "last change" field with a fixed day."""
    if not path.exists():
        return
    lines = []
    for line in path.read_text().splitlines():
        fields = line.split(":")
        if len(fields) > 2 and fields[2]:
            fields[2] = FIXED_SHADOW_DAY
        lines.append(":".join(fields))
    path.write_text("\n".join(lines) + "\n")


def nginx_tree(dest: Path, log_file: Path) -> Path:
    """debootstraps Debian minbase + nginx-light + curl and shapes it like nginx-slim."""
    if shutil.which("debootstrap", path="/usr/sbin:/usr/bin:/sbin:/bin") is None:
        raise LabError("debootstrap is not installed", "run `make system-packages`")
    # In a mount namespace of its own: the /proc, /sys and /dev/pts debootstrap mounts
    # in the target vanish with it, even if it fails half-way.
    argv = [
        "unshare", "--mount", "--propagation=private",
        "debootstrap", "--variant=minbase", "--arch=amd64",
        f"--include={','.join(NGINX_PACKAGES)}", DEBIAN_SUITE, str(dest), DEBIAN_MIRROR,
    ]  # fmt: skip
    env = {**os.environ, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C"}
    with open(log_file, "ab") as log:
        log.write(f"\n===== {' '.join(argv)}\n".encode())
        log.flush()
        done = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, env=env, check=False)
    if done.returncode != 0:
        raise LabError(
            f"debootstrap failed building the nginx-slim image (log: {log_file})",
            f"check that {DEBIAN_MIRROR} is reachable, then run `make cluster-up` again",
        )
    for noise in NGINX_NOISE:
        _remove(dest / noise)
    for leftover in ("tmp", "run", "var/tmp"):
        for entry in (dest / leftover).iterdir():
            _remove(entry)
    _fix_shadow_dates(dest / "etc/shadow")
    _fix_shadow_dates(dest / "etc/gshadow")
    # The layout the real image has: logs to the container's output, the site root.
    logs = dest / "var/log/nginx"
    logs.mkdir(parents=True)
    (logs / "access.log").symlink_to("/dev/stdout")
    (logs / "error.log").symlink_to("/dev/stderr")
    (dest / "var/cache/apt").mkdir(parents=True)
    html = dest / "usr/share/nginx/html"
    html.mkdir(parents=True, exist_ok=True)
    for stale in html.iterdir():
        _remove(stale)
    (html / "index.html").write_text(NGINX_INDEX)
    for site in (dest / "etc/nginx/sites-enabled").iterdir():
        _remove(site)
    (dest / "etc/nginx/sites-available/default").write_text(NGINX_SITE)
    (dest / "etc/nginx/sites-enabled/default").symlink_to("/etc/nginx/sites-available/default")
    for binary in ("usr/sbin/nginx", "usr/bin/curl", "bin/hostname", "bin/sh"):
        if not (dest / binary).exists():
            raise LabError(f"the nginx-slim root file system lacks /{binary}", "report this")
    return dest

"""The environment of a run that makes many stacks (the end-to-end suite, the
tour, the benchmarks, the lesson captures): its own file backend and its own
Pulumi home.

Why its own home: the Pulumi CLI writes a log file into `$PULUMI_HOME/logs`
for every command it runs, and at every start it reads that whole folder to
rotate it (it keeps up to 500 MB). After a few suites the folder holds tens of
thousands of files and each command starts about 0.15 s later, and one run
issues about a thousand commands. A home per run holds only that run's logs.
The plugins are shared: the home's `plugins` links to the installed ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def installed_plugins(environ: Mapping[str, str] = os.environ) -> Path:
    """Where `make toolchain` installed the plugins: the usual Pulumi home's `plugins`."""
    home = environ.get("PULUMI_HOME") or str(Path.home() / ".pulumi")
    return Path(home) / "plugins"


def private_home(folder: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """`folder`/pulumi-home, made once, with its `plugins` linked to the installed plugins."""
    home = folder / "pulumi-home"
    plugins = home / "plugins"
    if not plugins.is_symlink():
        home.mkdir(parents=True, exist_ok=True)
        # resolve(): a run inside another run links to the real folder, not to a link.
        target = installed_plugins(environ).resolve()
        try:
            plugins.symlink_to(target, target_is_directory=True)
        except FileExistsError:
            # Side-by-side test workers share one run folder: another made the link first.
            if not plugins.is_symlink() or plugins.resolve() != target:
                raise
    return home


def run_env(folder: Path, passphrase: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The Pulumi environment of a run kept in `folder`: its backend, its home, no prompts or downloads."""
    backend = folder / "backend"
    backend.mkdir(parents=True, exist_ok=True)
    return {
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_HOME": str(private_home(folder, environ)),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
    }

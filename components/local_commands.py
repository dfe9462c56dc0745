"""Commands the program runs on this machine with pulumi-command's `local.Command`.

Every command is an argv list turned into one shell line with `shlex.join`,
so each value (a namespace, an image, a context name) reaches the program as
exactly one argument whatever characters it holds, and the line reads the
same in `pulumi preview` as it would typed by hand.

What a command's inputs contain decides when it runs again: an input change
re-runs it, a trigger change replaces it. So the inputs hold nothing that
depends on where the checkout or the virtualenv lives: the program's Python
is named relative to the project directory (the command's working
directory), and no absolute path of the checkout appears.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi_command import local

from kube.target import KubectlTarget

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHELL = ["/bin/sh", "-c"]


def project_python(executable: str = sys.executable, project_root: Path = PROJECT_ROOT) -> str:
    """The program's own interpreter (the project's virtualenv, which has the
    probes' packages), relative to the project directory when it lives there."""
    path = Path(os.path.abspath(executable))
    try:
        return str(path.relative_to(project_root.resolve()))
    except ValueError:
        try:
            return str(path.relative_to(project_root))
        except ValueError:
            return str(path)


def shell_line(argv: Sequence[str]) -> str:
    """One shell line that runs argv, every element quoted as a single word."""
    return shlex.join(argv)


def gate_command(gate: str, spec_json: str) -> str:
    """The shell line of `python -m gates <gate> '<spec>'`; the spec travels as one JSON argument."""
    return shell_line([project_python(), "-m", "gates", gate, spec_json])


def kubectl_environment(target: KubectlTarget) -> dict[str, str]:
    """KUBECONFIG for the command when the stack names one (else the
    provider's and kubectl's common default applies): the one way a
    kubeconfig reaches the commands `pulumi up` launches."""
    return {"KUBECONFIG": target.kubeconfig} if target.kubeconfig else {}


def run_during_up(
    name: str,
    create: pulumi.Input[str] | None,
    *,
    triggers: Sequence[pulumi.Input[Any]],
    environment: Mapping[str, str],
    log: local.Logging,
    delete: pulumi.Input[str] | None = None,
    stdin: pulumi.Input[str] | None = None,
    opts: pulumi.ResourceOptions | None = None,
) -> local.Command:
    """A `local.Command` as this project uses them.

    Never runs at preview; runs `create` when created, when an input changes
    and (replaced) when a trigger changes; `delete` when removed. A non-zero
    exit fails the step with the command's output. The previous run's output
    is not passed back in the environment: a probe document can exceed the
    size one environment variable may have.
    """
    return local.Command(
        name,
        create=create,
        delete=delete,
        interpreter=SHELL,
        environment=dict(environment),
        triggers=list(triggers),
        logging=log,
        add_previous_output_in_env=False,
        stdin=stdin,
        opts=opts,
    )

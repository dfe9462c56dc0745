"""Pure builders of kubectl command lines.

Every call to the cluster is an argv list built here. Where one runs through
a shell (pulumi-command's local.Command), it is joined with `shlex.join`
first, so a namespace or image holding shell syntax is only ever one
argument. Every flag that takes a value is written `--flag=value`, so a
value starting with `-` stays that flag's value. Each call carries a request
timeout.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class KubectlTarget:
    """The cluster, context and namespace a kubectl call talks to."""

    namespace: str
    kubeconfig: str = ""
    """Empty: kubectl's own default ($KUBECONFIG, then ~/.kube/config), as the
    provider's. Commands that `pulumi up` launches get it through KUBECONFIG."""
    context: str = ""
    request_timeout_seconds: int = 30

    def with_request_timeout(self, seconds: int) -> KubectlTarget:
        return replace(self, request_timeout_seconds=seconds)


def kubectl(target: KubectlTarget, *args: str, namespaced: bool = True) -> list[str]:
    argv = ["kubectl"]
    if target.kubeconfig:
        argv.append(f"--kubeconfig={target.kubeconfig}")
    if target.context:
        argv.append(f"--context={target.context}")
    if namespaced:
        argv.append(f"--namespace={target.namespace}")
    argv.append(f"--request-timeout={target.request_timeout_seconds}s")
    argv.extend(args)
    return argv


def display(argv: list[str]) -> str:
    """The argv as one shell-quoted line, for logs and the report."""
    return shlex.join(argv)

"""`hostname` run in every pod, as the seed ran it.

Through the API's exec stream where the kubeconfig allows it (a fraction of
a kubectl's cost: probes.pod_exec), else, or if that fails, with kubectl.
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from kube.api_access import ApiAccess
from kube.target import KubectlTarget
from probes import commands as cmd
from probes.calls import Kubectl, ProbeError
from probes.facts import PodFacts
from probes.pod_exec import PodExecError, run_in_pod

EXECS_AT_ONCE = 16


def hostname_of(k: Kubectl, target: KubectlTarget, access: ApiAccess | None, pod: str, container: str) -> str:
    """`hostname` in the pod; raises ProbeError naming what went wrong."""
    if access is not None:
        try:
            code, out, err = run_in_pod(access, target.namespace, pod, container, ["hostname"], k.timeout_seconds)
        except PodExecError:
            pass  # kubectl tries again and, if it fails too, says why in its own words
        else:
            if code != 0:
                raise ProbeError(f"hostname in {pod} exited {code}: {err.strip()[-300:]}")
            return out.strip()
    return k.run(cmd.hostname(target, pod, container)).strip()


def why_no_exec(pod: PodFacts, unavailable_nodes: set[str]) -> str:
    """Why no command can run in the pod now, empty when one can."""
    if pod.terminating:
        return f"{pod.name} is terminating"
    if not pod.node:
        return f"{pod.name} is not scheduled ({pod.state})"
    if pod.node in unavailable_nodes:
        return f"{pod.name}'s node {pod.node} is NotReady"
    if not pod.runs:
        return f"{pod.name} is not running ({pod.state})"
    return ""


def with_hostname(
    k: Kubectl, target: KubectlTarget, access: ApiAccess | None, pod: PodFacts, container: str, down: set[str]
) -> PodFacts:
    """The pod with its hostname, or with why it could not be read: a fact about
    this pod, never a reason to abandon the run."""
    why = why_no_exec(pod, down)
    if not why:
        try:
            return replace(pod, hostname=hostname_of(k, target, access, pod.name, container))
        except ProbeError as err:
            why = str(err)
    return replace(pod, hostname=None, hostname_error=why)


def with_hostnames(
    k: Kubectl,
    target: KubectlTarget,
    access: ApiAccess | None,
    pods: list[PodFacts],
    container: str,
    unavailable_nodes: Collection[str] = (),
) -> list[PodFacts]:
    with ThreadPoolExecutor(max_workers=max(1, min(EXECS_AT_ONCE, len(pods)))) as pool:
        return list(pool.map(lambda p: with_hostname(k, target, access, p, container, set(unavailable_nodes)), pods))

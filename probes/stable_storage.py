"""The seed's stable-storage lab, run by the probes when the stack asks for it
(`probeStableStorage`): it changes the cluster, so it runs before anything
is observed.

Each pod writes its hostname into index.html (the Deployment's pods one after
another, so the last writer is known), every pod serves its page, every pod
of both workloads is deleted, and once their replacements are Ready each pod
serves its page again.
"""

from __future__ import annotations

import time
from typing import Any

from kube.objects import is_ready, is_terminating
from kube.target import KubectlTarget
from probes import commands as cmd
from probes.calls import Kubectl, ProbeError, parallel
from probes.facts import Expectations, StableStorageRun
from probes.parse import parse_served_pages


def wait_for_replacements(
    k: Kubectl, target: KubectlTarget, app: str, old_uids: set[str], count: int, timeout_seconds: int
) -> None:
    """Waits until `count` pods of `app` are Ready, none of them an old one."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        items = k.json(cmd.pods_of(target, app)).get("items", [])
        live = [i for i in items if not is_terminating(i)]
        fresh = [i for i in live if i["metadata"]["uid"] not in old_uids]
        if len(live) == count and len([i for i in fresh if is_ready(i)]) == count:
            return
        time.sleep(1)
    raise ProbeError(f"pods of app={app} did not all come back Ready within {timeout_seconds}s")


def _live_names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(str(i["metadata"]["name"]) for i in items if not is_terminating(i))


def run_stable_storage(k: Kubectl, target: KubectlTarget, e: Expectations, timeout: int) -> StableStorageRun:
    """Write hostnames, read, delete all pods, read again."""
    names = e.names
    sts_app, dep_app = names.statefulset.app, names.deployment.app
    sts_items = k.json(cmd.pods_of(target, sts_app))["items"]
    dep_items = k.json(cmd.pods_of(target, dep_app))["items"]
    sts_pods, dep_pods = _live_names(sts_items), _live_names(dep_items)

    def read_pages(pods: list[str]) -> dict[str, str]:
        pages = parallel(lambda p: k.run(cmd.read_page(target, p, names.container)), pods)
        return parse_served_pages(dict(zip(pods, pages, strict=True)))

    parallel(lambda p: k.run(cmd.write_hostname_page(target, p, names)), sts_pods)
    for pod in dep_pods:  # one after another: the last one's name is what all serve
        k.run(cmd.write_hostname_page(target, pod, names))
    before = read_pages(sts_pods + dep_pods)
    old_uids = {i["metadata"]["uid"] for i in sts_items + dep_items}
    parallel(lambda app: k.run(cmd.delete_pods(target, app, timeout)), [sts_app, dep_app])
    parallel(
        lambda wl: wait_for_replacements(k, target, wl[0], old_uids, wl[1], timeout),
        [(sts_app, len(sts_pods)), (dep_app, len(dep_pods))],
    )
    new_dep = _live_names(k.json(cmd.pods_of(target, dep_app))["items"])
    after = read_pages(sts_pods + new_dep)
    return StableStorageRun(
        last_writer=dep_pods[-1] if dep_pods else "", before=before, after=after, deployment_pods_after=new_dep
    )

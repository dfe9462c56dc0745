"""Pure builders of the probes' kubectl calls and in-pod scripts.

Every call is an argv list (no shell on this machine). The only shell is the
one inside a pod, for the DNS loop; every name it sees is shlex-quoted.
"""

from __future__ import annotations

import shlex

from components.kubectl import KubectlTarget, kubectl
from components.web_workload_specs import DOCUMENT_ROOT
from probes.parse import DNS_MARKER

WEB_CONTAINER = "nginx"
PROBE_LABEL = "statefulset-lab/probe"


def get_json(target: KubectlTarget, kind: str, *args: str, namespaced: bool = True) -> list[str]:
    return kubectl(target, "get", kind, *args, "--output", "json", namespaced=namespaced)


def pods_of(target: KubectlTarget, app: str) -> list[str]:
    return get_json(target, "pods", "--selector", f"app={app}")


def statefulset(target: KubectlTarget, name: str) -> list[str]:
    return get_json(target, "statefulset", name)


def claims(target: KubectlTarget) -> list[str]:
    return get_json(target, "persistentvolumeclaims")


def volumes(target: KubectlTarget) -> list[str]:
    return get_json(target, "persistentvolumes", namespaced=False)


def events(target: KubectlTarget) -> list[str]:
    return get_json(target, "events")


def exec_in(target: KubectlTarget, pod: str, *command: str, container: str = WEB_CONTAINER) -> list[str]:
    return kubectl(target, "exec", pod, "--container", container, "--", *command)


def hostname(target: KubectlTarget, pod: str) -> list[str]:
    return exec_in(target, pod, "hostname")


def write_hostname_page(target: KubectlTarget, pod: str) -> list[str]:
    """The seed's `echo $(hostname) > index.html`, in the pod."""
    return exec_in(target, pod, "sh", "-c", f"hostname > {shlex.quote(DOCUMENT_ROOT + '/index.html')}")


def read_page(target: KubectlTarget, pod: str) -> list[str]:
    """The seed's `curl localhost`, in the pod."""
    return exec_in(target, pod, "curl", "--silent", "--show-error", "--max-time", "5", "http://localhost/")


def delete_pods(target: KubectlTarget, app: str, timeout_seconds: int) -> list[str]:
    return kubectl(target, "delete", "pods", "--selector", f"app={app}", "--wait=true", f"--timeout={timeout_seconds}s")


def start_dns_pod(target: KubectlTarget, name: str, image: str) -> list[str]:
    return kubectl(
        target,
        "run",
        name,
        f"--image={image}",
        "--image-pull-policy=IfNotPresent",
        "--restart=Never",
        f"--labels={PROBE_LABEL}=dns",
        "--command",
        "--",
        "sleep",
        "600",
    )


def wait_ready(target: KubectlTarget, pod: str, timeout_seconds: int) -> list[str]:
    return kubectl(target, "wait", "--for=condition=Ready", f"pod/{pod}", f"--timeout={timeout_seconds}s")


def delete_pod_now(target: KubectlTarget, pod: str) -> list[str]:
    return kubectl(target, "delete", "pod", pod, "--ignore-not-found", "--wait=false", "--grace-period=0")


def dns_script(queries: list[str]) -> str:
    """A loop of nslookups, each framed by markers with its exit code."""
    quoted = " ".join(shlex.quote(q) for q in queries)
    # By path: busybox's shell would otherwise run its own built-in applet
    # even where the image puts another nslookup on PATH.
    lookup = f'echo "{DNS_MARKER} query $q"; /bin/nslookup "$q" 2>&1; echo "{DNS_MARKER} exit $?"'
    return f"for q in {quoted}; do {lookup}; done"


def exec_dns(target: KubectlTarget, pod: str, queries: list[str]) -> list[str]:
    return exec_in(target, pod, "sh", "-c", dns_script(queries), container=pod)


def dashed_ip(ip: str) -> str:
    """A pod IP as the label of its A record under a headless Service (10-244-0-5)."""
    return ip.replace(".", "-")

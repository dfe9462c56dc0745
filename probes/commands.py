"""Pure builders of the probes' kubectl calls and in-pod scripts.

Every call is an argv list (no shell on this machine). The only shell is the
one inside a pod, for the DNS loop; every name it sees is shlex-quoted. Every
kubectl flag that takes a value is written `--flag=value`, so a value that
starts with `-` still arrives as that flag's value.
"""

from __future__ import annotations

import json
import shlex

from kube.labels import selector
from kube.names import LabNames
from kube.target import KubectlTarget, kubectl
from probes.parse import DNS_MARKER

PROBE_LABEL = "statefulset-lab/probe"
PROBE_RUN_LABEL = "statefulset-lab/probe-run"
"""Names the probe run that started a DNS pod, to tell one run's pod from another's."""
DNS_PROBE_SELECTOR = f"{PROBE_LABEL}=dns"


def get_json(target: KubectlTarget, kind: str, *args: str, namespaced: bool = True) -> list[str]:
    return kubectl(target, "get", kind, *args, "--output=json", namespaced=namespaced)


def pods_of(target: KubectlTarget, app: str) -> list[str]:
    return get_json(target, "pods", f"--selector={selector(app)}")


def statefulset(target: KubectlTarget, name: str) -> list[str]:
    """A list of the one StatefulSet, empty when it does not exist (never an error)."""
    return get_json(target, "statefulsets", f"--field-selector=metadata.name={name}")


def deployment(target: KubectlTarget, name: str) -> list[str]:
    """A list of the one Deployment, empty when it does not exist (never an error)."""
    return get_json(target, "deployments", f"--field-selector=metadata.name={name}")


def replicasets(target: KubectlTarget, app: str) -> list[str]:
    """The ReplicaSets of a Deployment's label: which of its pods the Deployment owns."""
    return get_json(target, "replicasets", f"--selector={selector(app)}")


def controller_revisions(target: KubectlTarget, app: str) -> list[str]:
    """The ControllerRevisions of a StatefulSet's label: every pod template it had, numbered."""
    return get_json(target, "controllerrevisions", f"--selector={selector(app)}")


def services(target: KubectlTarget) -> list[str]:
    return get_json(target, "services")


def nodes(target: KubectlTarget) -> list[str]:
    return get_json(target, "nodes", namespaced=False)


def claims(target: KubectlTarget) -> list[str]:
    return get_json(target, "persistentvolumeclaims")


def volumes(target: KubectlTarget) -> list[str]:
    return get_json(target, "persistentvolumes", namespaced=False)


def events(target: KubectlTarget) -> list[str]:
    return get_json(target, "events")


def server_version(target: KubectlTarget) -> list[str]:
    return kubectl(target, "version", "--output=json", namespaced=False)


def current_cluster(target: KubectlTarget) -> list[str]:
    """The kubeconfig's view of the cluster in use (its server URL); read locally, no request."""
    return kubectl(target, "config", "view", "--minify", "--output=json", namespaced=False)


def logs(target: KubectlTarget, pod: str, container: str, lines: int) -> list[str]:
    return kubectl(target, "logs", pod, f"--container={container}", f"--tail={lines}")


def exec_in(target: KubectlTarget, pod: str, container: str, *command: str) -> list[str]:
    return kubectl(target, "exec", pod, f"--container={container}", "--", *command)


def hostname(target: KubectlTarget, pod: str, container: str) -> list[str]:
    return exec_in(target, pod, container, "hostname")


def write_hostname_page(target: KubectlTarget, pod: str, names: LabNames) -> list[str]:
    """The seed's `echo $(hostname) > index.html`, in the pod."""
    page = shlex.quote(f"{names.document_root}/index.html")
    return exec_in(target, pod, names.container, "sh", "-c", f"hostname > {page}")


def read_page(target: KubectlTarget, pod: str, container: str) -> list[str]:
    """The seed's `curl localhost`, in the pod."""
    return exec_in(target, pod, container, "curl", "--silent", "--show-error", "--max-time", "5", "http://localhost/")


def delete_pods(target: KubectlTarget, app: str, timeout_seconds: int) -> list[str]:
    return kubectl(
        target, "delete", "pods", f"--selector={selector(app)}", "--wait=true", f"--timeout={timeout_seconds}s"
    )


def dns_pod_deadline_seconds(timeout_seconds: int, settle_seconds: int) -> int:
    """How long the DNS pod may live: starting it (up to one step's timeout),
    the settling lookups, and one more exec. Past it the kubelet stops the pod
    even if the probe that started it was killed before deleting it."""
    return 2 * timeout_seconds + settle_seconds


def start_dns_pod(target: KubectlTarget, name: str, image: str, run_token: str, deadline_seconds: int) -> list[str]:
    # kubectl run has no flag for activeDeadlineSeconds; --overrides merges it in.
    overrides = {
        "apiVersion": "v1",
        "spec": {"activeDeadlineSeconds": deadline_seconds, "terminationGracePeriodSeconds": 1},
    }
    return kubectl(
        target,
        "run",
        name,
        f"--image={image}",
        "--image-pull-policy=IfNotPresent",
        "--restart=Never",
        f"--labels={DNS_PROBE_SELECTOR},{PROBE_RUN_LABEL}={run_token}",
        f"--overrides={json.dumps(overrides, sort_keys=True)}",
        "--command",
        "--",
        "sleep",
        str(deadline_seconds),
    )


def wait_ready(target: KubectlTarget, pod: str, timeout_seconds: int) -> list[str]:
    return kubectl(target, "wait", "--for=condition=Ready", f"pod/{pod}", f"--timeout={timeout_seconds}s")


def delete_pod_now(target: KubectlTarget, pod: str) -> list[str]:
    return kubectl(target, "delete", "pod", pod, "--ignore-not-found", "--wait=false", "--grace-period=0")


def delete_dns_probe_pods(target: KubectlTarget) -> list[str]:
    """Deletes every DNS probe pod of the namespace, whichever run left it
    (for the program's destroy: a killed probe may not have cleaned up)."""
    return kubectl(target, "delete", "pod", f"--selector={DNS_PROBE_SELECTOR}", "--ignore-not-found", "--wait=false")


DNS_LOOKUPS_AT_ONCE = 32
"""nslookups the DNS script runs side by side: hundreds of names (100 replicas
of each workload, four names per pod pair) take a second, not minutes."""


def dns_script(queries: list[str]) -> str:
    """nslookups, DNS_LOOKUPS_AT_ONCE at a time, each framed by markers with its
    exit code, printed in the order of `queries`.

    Each lookup writes its block to a file of its own; the files are printed
    in order once all are done.
    """
    quoted = " ".join(shlex.quote(q) for q in queries)
    # By path: busybox's shell would otherwise run its own built-in applet
    # even where the image puts another nslookup on PATH.
    block = f'printf "%s\\n%s\\n%s\\n" "{DNS_MARKER} query $q" "$out" "{DNS_MARKER} exit $rc"'
    lookup = f'{{ out=$(/bin/nslookup "$q" 2>&1); rc=$?; {block} > "$d/$n"; }} &'
    return (
        'd=/tmp/probe-dns-$$; mkdir -p "$d"; n=0; '
        f"for q in {quoted}; do n=$((n+1)); {lookup} [ $((n % {DNS_LOOKUPS_AT_ONCE})) -eq 0 ] && wait; done; wait; "
        'i=1; while [ "$i" -le "$n" ]; do cat "$d/$i"; i=$((i+1)); done; rm -rf "$d"'
    )


def exec_dns(target: KubectlTarget, pod: str, queries: list[str]) -> list[str]:
    # `kubectl run` names the DNS pod's one container after the pod.
    return exec_in(target, pod, pod, "sh", "-c", dns_script(queries))


CLUSTER_DNS_NAMESPACE = "kube-system"
CLUSTER_DNS_SERVICE = "kube-dns"
"""The cluster DNS Service: kube-dns by that name on kubeadm, kind, k3s, minikube and the lab cluster."""


FORWARD_POD_WAIT_SECONDS = 10
"""How long the port-forward waits for a running pod behind the DNS Service.
kubectl's own default is a minute, which an outage of CoreDNS (no pod at all)
would spend in full on every probe run; a running CoreDNS is found at once."""


def forward_cluster_dns(target: KubectlTarget) -> list[str]:
    """A local port (chosen by kubectl, printed on its first line) forwarded to the cluster DNS's TCP port."""
    return kubectl(
        target,
        "port-forward",
        f"--namespace={CLUSTER_DNS_NAMESPACE}",
        f"--pod-running-timeout={FORWARD_POD_WAIT_SECONDS}s",
        f"service/{CLUSTER_DNS_SERVICE}",
        ":53",
        namespaced=False,
    )

"""The kube-apiserver's audit log: who created, changed or deleted the lab's
objects. The probes read it to name the actor of every create, delete and
eviction on a pod's timeline (probes/actors.py).

The policy records only what the lessons are about, at Metadata level (who,
what, when; no object bodies): writes to pods (evictions and bindings too),
claims, volumes, Services, nodes and the workloads. Everything else (reads,
leases, events, the controllers' status updates) is not recorded, so the log
stays small; the apiserver keeps AUDIT_LOG_MAX_MB per file and
AUDIT_LOG_BACKUPS rotated files.
"""

from __future__ import annotations

import json
from typing import Any, Final

AUDIT_LOG_MAX_MB: Final = 20
AUDIT_LOG_BACKUPS: Final = 2
AUDIT_LOG_NAME: Final = "audit.log"

WRITES: Final = ["create", "update", "patch", "delete", "deletecollection"]
AUDITED: Final[list[dict[str, Any]]] = [
    {"group": "", "resources": ["pods", "pods/eviction", "pods/binding", "persistentvolumeclaims",
                                "persistentvolumes", "services", "nodes"]},
    {"group": "apps", "resources": ["statefulsets", "deployments", "replicasets"]},
]  # fmt: skip


def render_audit_policy() -> str:
    policy = {
        "apiVersion": "audit.k8s.io/v1",
        "kind": "Policy",
        # One entry per request, when its answer is known: the outcome is in it.
        "omitStages": ["RequestReceived", "ResponseStarted"],
        "rules": [
            {"level": "Metadata", "verbs": WRITES, "resources": AUDITED},
            {"level": "None"},
        ],
    }
    return json.dumps(policy, indent=2, sort_keys=True) + "\n"


def audit_flags(policy: str, log: str) -> tuple[str, ...]:
    return (
        f"--audit-policy-file={policy}",
        f"--audit-log-path={log}",
        "--audit-log-format=json",
        f"--audit-log-maxsize={AUDIT_LOG_MAX_MB}",
        f"--audit-log-maxbackup={AUDIT_LOG_BACKUPS}",
    )

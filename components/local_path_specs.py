"""Pure builders of rancher/local-path-provisioner's configuration (v0.0.37).

The provisioner reads `config.json` (which host directory backs volumes on each
node) and runs the `setup`/`teardown` scripts in a helper pod built from
`helperPod.yaml` to create and remove each volume's directory.
"""

from __future__ import annotations

import json

from kube.storage_names import DEFAULT_CLASS_ANNOTATION, OWNER_ANNOTATION

PROVISIONER_NAME = "rancher.io/local-path"
CONFIG_MAP_NAME = "local-path-config"
DEFAULT_NODE_PATH = "/opt/local-path-provisioner"
HELPER_IMAGE = "docker.io/library/busybox"
HEALTH_PORT = 8080


def config_json(node_path: str = DEFAULT_NODE_PATH) -> str:
    """Every node keeps its volumes under `node_path`."""
    return json.dumps(
        {"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": [node_path]}]},
        indent=2,
    )


SETUP_SCRIPT = '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"\n'
TEARDOWN_SCRIPT = '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"\n'


def helper_pod_yaml(image: str = HELPER_IMAGE) -> str:
    """Template of the short-lived pod that runs setup/teardown on the volume's node.

    It tolerates disk pressure so a full node can still free space.
    """
    return (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  name: helper-pod\n"
        "spec:\n"
        "  priorityClassName: system-node-critical\n"
        "  tolerations:\n"
        "    - key: node.kubernetes.io/disk-pressure\n"
        "      operator: Exists\n"
        "      effect: NoSchedule\n"
        "  containers:\n"
        "    - name: helper-pod\n"
        f"      image: {image}\n"
        "      imagePullPolicy: IfNotPresent\n"
    )


def config_map_data(node_path: str = DEFAULT_NODE_PATH) -> dict[str, str]:
    return {
        "config.json": config_json(node_path),
        "setup": SETUP_SCRIPT,
        "teardown": TEARDOWN_SCRIPT,
        "helperPod.yaml": helper_pod_yaml(),
    }


def owner_annotations(owner: str) -> dict[str, str]:
    return {OWNER_ANNOTATION: owner} if owner else {}


def storage_class_annotations(make_default: bool) -> dict[str, str]:
    return {DEFAULT_CLASS_ANNOTATION: "true"} if make_default else {}


# RBAC rules, as (apiGroups, resources, verbs).
NAMESPACED_RULES = [([""], ["pods"], ["get", "list", "watch", "create", "patch", "update", "delete"])]
CLUSTER_RULES = [
    ([""], ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"], ["get", "list", "watch"]),
    ([""], ["persistentvolumes"], ["get", "list", "watch", "create", "patch", "update", "delete"]),
    ([""], ["events"], ["create", "patch"]),
    (["storage.k8s.io"], ["storageclasses"], ["get", "list", "watch"]),
]

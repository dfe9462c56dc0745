"""The names by which the lab finds the storage it installs on a cluster:
the provisioner's namespace and the StorageClass annotations. The storage
plan reads them at preview and the storage components write them, so they
live here, below both."""

from __future__ import annotations

PROVISIONER_NAMESPACE = "local-path-storage"
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
# Which stack installed the cluster-wide objects; other stacks read it to use them.
OWNER_ANNOTATION = "statefulset-lab/owner"

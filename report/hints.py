"""One line per check that can fail: what usually causes the failure and what
to try, for the report page. A check without a line here gets the generic one.

A check's name may hold numbers (the partition, minReadySeconds) or the
names of nodes and pods (a lesson's): a key writes N for any number and *
for any name."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from probes.facts import Check

GENERIC = (
    "The cluster showed something other than the lab expects: read the evidence and the pods' events below, "
    "then `make report` again once the cluster has settled."
)

HINTS: dict[str, str] = {
    "the StatefulSet exists": (
        "It was deleted outside Pulumi (kubectl delete, or --cascade=orphan): `make up` (pulumi up --refresh) "
        "creates it again, and it adopts the pods left behind."
    ),
    "the Deployment exists": (
        "It was deleted outside Pulumi: `make up` (pulumi up --refresh) creates it again with a new ReplicaSet."
    ),
    "pod names are <statefulset>-<ordinal>": (
        "An ordinal is missing or a pod has a foreign name: the StatefulSet is still creating pods (OrderedReady "
        "waits for each), one is Pending, or it no longer exists; see the pods' events."
    ),
    "pod names are <deployment>-<template-hash>-<random>": (
        "Pods of another ReplicaSet are about: a rollout is in progress or old pods are still terminating; "
        "`kubectl rollout status deployment/<name>`, then observe again."
    ),
    "OrderedReady creates each pod after its predecessor is Ready": (
        "A pod was created before its predecessor was Ready: the StatefulSet on the cluster is Parallel, or pods "
        "were re-created at once; compare spec.podManagementPolicy with the stack's setting."
    ),
    "Parallel creates pods without waiting for each other": (
        "Pods were created one after another: the StatefulSet on the cluster is OrderedReady "
        "(podManagementPolicy cannot change in place; the StatefulSet must be replaced)."
    ),
    "hostname is the pod name": (
        "The exec into the pod failed or printed another name: the pod is not running (Pending, on a stopped node) "
        "or its container restarts; see its events and log, or `kubectl exec <pod> -- hostname`."
    ),
    "<pod>.<service> resolves to the pod's IP": (
        "No record for the pod's name: it is not Ready, spec.serviceName does not name a headless Service, "
        "or CoreDNS has not caught up; check the Service (CLUSTER-IP None) and its EndpointSlices."
    ),
    "<pod>.<service> does not resolve": (
        "A Deployment pod's name resolves: its template sets hostname and subdomain, or another record has that "
        "name; a Deployment's pods must have no stable names."
    ),
    "<dashed-ip>.<service> resolves to the pod's IP": (
        "The Deployment's headless Service has no record for the pod's IP: the pod is not Ready, or the Service "
        "has a ClusterIP or does not select it; check `kubectl get svc,endpointslices`."
    ),
    "a StatefulSet pod's dashed IP does not resolve under its own Service": (
        "The StatefulSet's Service publishes its pods by IP, not by name: spec.serviceName does not name "
        "this Service, so the pods' subdomain does not match it; make serviceName the headless Service's name."
    ),
    "the Service's own name resolves to its Ready pods": (
        "The Service's name answers with other addresses: a pod the workload did not make carries its label "
        "(a stranger), or a pod is not Ready; delete or relabel the stranger."
    ),
    "pods are spread across nodes (topology spread on kubernetes.io/hostname)": (
        "Pods share a node: fewer schedulable nodes than pods, or the constraint is missing; check "
        "`kubectl get nodes` (NotReady, cordoned) and the pods' topologySpreadConstraints."
    ),
    "one Bound claim per ordinal, mounted by its pod": (
        "A claim is missing or Pending: the storage provisioner is not running, or the claim waits for its pod "
        "to be scheduled (WaitForFirstConsumer); check `kubectl get pvc` and the provisioner's pod."
    ),
    "one Bound claim shared by every pod": (
        "The Deployment's claim is not Bound or its pods mount different claims; check `kubectl get pvc` "
        "and the provisioner's pod."
    ),
    "all pods run on the node of the shared volume": (
        "A local volume ties its claim to one node, so every pod that mounts it must run there: a pod elsewhere "
        "means the volume is not node-local; check the PersistentVolume's nodeAffinity."
    ),
    "each volume is a host directory pvc-<uid>_<namespace>_<claim>": (
        "The volume was not made by the local-path provisioner: another StorageClass, or a PersistentVolume made "
        "by hand; check the claim's storageClassName."
    ),
    "each claim's volume is on its pod's node": (
        "A pod runs away from its volume: the PersistentVolume has no node affinity, or the pod was placed by "
        "hand (spec.nodeName); check both."
    ),
    "each pod serves its own name before and after all pods are deleted": (
        "A re-created pod served another pod's page: its claim was re-bound or the volume is shared; "
        "check which claim each pod mounts."
    ),
    "every pod serves the last writer's name, before and after deletion": (
        "The Deployment's pods did not share one volume, or the write did not reach it; check the claim the pods mount."
    ),
    "OrderedReady creates the next pod only minReadySeconds (N s) after one is Ready": (
        "A pod came sooner after its predecessor was Ready than minReadySeconds allows: the StatefulSet on the "
        "cluster has another minReadySeconds, or pods were re-created at once."
    ),
    "ordinals >= partition (N) run the new revision, the others keep theirs": (
        "Pods are not on the revision the partition asks for: the rollout is still running or a new pod does not "
        "start (image pull, crash); `kubectl rollout status statefulset/<name>` and the pods' events say which."
    ),
    "scale-in removes the highest ordinal first, one at a time": (
        "Pods went away out of order: they were deleted by hand, or the StatefulSet is Parallel; "
        "scale with the stack's replicas only."
    ),
    "claims of removed ordinals are kept, still Bound": (
        "A claim of a removed pod is gone or lost its volume: the whenScaled retention is Delete on the cluster, "
        "or the claim or its volume was deleted by hand."
    ),
    "the Deployment scales in all at once": (
        "The ReplicaSet removed pods one after another: they went away for another reason (evicted, deleted by "
        "hand) or the scale-in came in steps; scale in with one change of replicas."
    ),
    "a rolling update replaces pods from the highest ordinal down, each after the one above is Ready again": (
        "Pods were replaced out of order or before the one above was Ready: they were deleted by hand during the "
        "rollout, or the StatefulSet has maxUnavailable above 1 or is OnDelete."
    ),
    "a rollout stops at a pod that cannot start; the pods below it keep the old revision": (
        "The rollout went past the broken pod or never reached it: the new pod became Ready after all (the image "
        "exists), or the partition holds the rollout above it."
    ),
    "reverting the template alone does not replace a pod stuck on the broken revision": (
        "The stuck pod was replaced: it was deleted by hand, or the cluster rolls back on its own "
        "(forceRollback); otherwise delete the stuck pod to let the StatefulSet create it on the old revision."
    ),
    "with forceRollback, no pod stays stuck on a revision the StatefulSet no longer rolls toward": (
        "A pod is still stuck on the broken revision: the cluster does not support forceRollback "
        "(feature off or Kubernetes too old); delete the stuck pod by hand."
    ),
    "a cascading delete removes every pod with the StatefulSet (in no promised order); its Service stays": (
        "Pods or the Service outlived the delete, or the Service went with it: the delete was not cascading, "
        "or something else removed the Service."
    ),
    "a pod deleted while no StatefulSet exists is not created again": (
        "The pod came back: a StatefulSet exists again (the stack re-created it) and adopted its name."
    ),
    "after every pod is deleted: new names, the same one claim": (
        "The Deployment's replacements kept old names or mount another claim: old pods were still terminating "
        "when observed; observe again once they are gone."
    ),
    "after every pod is deleted: the same names, DNS names and claims, new IPs": (
        "A re-created pod has another name, claim or DNS answer: it was not Ready yet, or CoreDNS still answers "
        "with the old IP; observe again once every pod is Ready."
    ),
    "deleted with --cascade=orphan, the pods outlive the StatefulSet, owned by nothing": (
        "The pods went with the StatefulSet or are owned again: the delete cascaded, or a StatefulSet with their "
        "labels exists again and adopted them."
    ),
    "each pod serves the page it wrote before every pod was deleted": (
        "A re-created pod serves another page: its claim was re-bound or the volume was emptied; "
        "check which claim each pod mounts."
    ),
    "each pod serves the page it wrote before the StatefulSet was deleted": (
        "A pod serves another page after the StatefulSet came back: its claim was deleted and made anew "
        "(whenDeleted: Delete), or the volume was emptied."
    ),
    "every pod serves the last writer's page, before and after": (
        "The Deployment's pods do not share one volume, or the write did not reach it; check the claim the pods mount."
    ),
    "the StatefulSet is gone, deleted by the lesson": (
        "The StatefulSet still exists or exists again: the lesson's delete failed, or `make up` ran since and "
        "created it again."
    ),
    "draining * evicts *; it comes back under its name and waits for its volume's node": (
        "The evicted pod came back elsewhere or not at all: its volume is not node-local, or the drain did not "
        "finish (a PodDisruptionBudget); uncordon the node to let the pod start."
    ),
    "the Deployment's pods evicted from * are replaced under new names": (
        "The Deployment did not replace the evicted pods: the drain did not evict them, or the ReplicaSet "
        "is scaled to 0; check the pods' events."
    ),
    "the Deployment replaces its pods of * under new names": (
        "The pods of the stopped node were not replaced: eviction from a NotReady node waits about five "
        "minutes; observe again."
    ),
    "after *, every pod runs again on its volume's node and serves its own page": (
        "A pod is not back on its volume's node: the node is still down or cordoned; start or uncordon it "
        "(`make cluster-up`), then observe again."
    ),
    "while * is down, * is not replaced: it stays the only *": (
        "A second pod of the ordinal exists: the stuck pod was force-deleted while its node may still run it; "
        "start the node again instead."
    ),
    "the lesson * did all it meant to": (
        "The lesson's action did not complete (see the observation); run the lesson again once the cluster is healthy."
    ),
    "claims of removed ordinals are kept": (
        "The claims of removed pods are gone: the StatefulSet's whenScaled retention is Delete on the cluster, "
        "or they were deleted by hand."
    ),
    "claims of removed ordinals are deleted (whenScaled: Delete)": (
        "Claims of removed pods stayed: the cluster ignores persistentVolumeClaimRetentionPolicy "
        "(feature off or Kubernetes too old), or the policy is Retain."
    ),
    "a pod whose volume's node is unavailable waits for that node, never re-created elsewhere": (
        "The pod started on another node: its volume is not node-local, or its claim was deleted and made anew; "
        "check the PersistentVolume's nodeAffinity. Start or uncordon the node to bring the pod back."
    ),
    "at most one pod per ordinal: a pod on a failed node is not replaced while it may still run": (
        "Two pods of one ordinal: the stuck pod was force-deleted. Never `kubectl delete --force` a StatefulSet "
        "pod on a failed node; start the node again."
    ),
    "pods the volume's node cannot run are replaced under new names, and wait Pending for it": (
        "The replacements are missing or not waiting for the volume's node: eviction from a NotReady node "
        "waits about five minutes; observe again, and check the PersistentVolume's nodeAffinity."
    ),
}

_NUMBER = re.compile(r"\d+")


def hint_for(check: Check) -> str:
    """The hint of a check by its name: the key that is the name, else the one
    that is the name with N for its numbers, else one whose * match the names
    in it; the generic hint when none is."""
    name = check.name
    numbered = _NUMBER.sub("N", name)
    if name in HINTS or numbered in HINTS:
        return HINTS.get(name) or HINTS[numbered]
    return next((hint for key, hint in HINTS.items() if "*" in key and fnmatchcase(name, key)), GENERIC)

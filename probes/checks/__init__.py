"""Pure evaluation of observed facts against the stack's expectations.

Each check states what the seed note expects, what was seen, and a verdict
(probes.facts.Verdict): "passed" only on positive evidence from this run;
"failed" when the evidence contradicts the expectation; "inconclusive" when the
run could not tell (for a pod that is Pending, on a failed node or not
running, whatever needs something from it); "not applicable" when there is
nothing to judge (no pods because replicas is 0). Checks of an experiment or
a state the run did not see (a scale-in, the destructive storage run, the
node spread, an unavailable node) are left out.

- `workloads`: whether the StatefulSet and the Deployment exist
- `actors`:    who deleted the pods of a scale-in and of a cascading delete (the audit log)
- `pods`:      names, creation order, hostnames, spread, partition, scale-in order
- `held_back`: OrderedReady creates and removes nothing above a pod that is not Ready
- `labels`:    the identity labels the controller puts on each StatefulSet pod
- `dns`:       per-pod and dashed-IP records, each Service's own name
- `srv`:       the headless Services' SRV records, one per Ready pod
- `storage`:   claims, volume directories and nodes, stable storage, kept claims
- `provisioning`: each volume made where its pod was placed (WaitForFirstConsumer); the default class
- `nodes`:     what a drained, cordoned or failed node does to the pods
- `rollout`:   the order of a rolling update, minReadySeconds, a stalled and a forced rollback
- `unavailable_budget`: maxUnavailable counts the pods already down
- `history`:   a template brought back returns the pods to its earlier ControllerRevision
- `lessons`:   what the stack's lesson did (probes.lesson_record), judged
"""

from __future__ import annotations

import re
from dataclasses import replace

from probes.checks.actors import (
    audited,
    check_cascade_by_the_garbage_collector,
    check_eviction_by_the_node_lifecycle,
    check_orphan_by_kubectl,
    check_parallel_scale_in,
    check_scale_in_by_the_controller,
)
from probes.checks.dns import check_dns
from probes.checks.held_back import check_held_back
from probes.checks.history import check_revision_history
from probes.checks.labels import check_identity_labels
from probes.checks.lessons import check_lesson
from probes.checks.nodes import check_node_lessons
from probes.checks.pods import (
    check_creation_order,
    check_deployment_scale_in,
    check_deployment_scale_out,
    check_hostnames,
    check_partition,
    check_pod_names,
    check_scale_in_order,
    check_spread,
)
from probes.checks.provisioning import check_default_class, check_volumes_wait_for_their_pods
from probes.checks.rollout import check_rollout
from probes.checks.srv import check_srv
from probes.checks.storage import check_claims, check_scale_in_claims, check_stable_storage, check_volume_nodes
from probes.checks.unavailable_budget import check_budget_counts_the_unavailable
from probes.checks.workloads import check_replicas_as_asked, check_workloads_exist
from probes.facts import Check, Expectations, Observation
from probes.lesson_catalogue import TOPIC as LESSON_TOPIC


def _about(topic: str, checks: list[Check]) -> list[Check]:
    """The checks, filed under the report topic (probes.topics.TOPICS) they belong to."""
    return [replace(c, topic=topic) for c in checks]


def _with_pods(check: Check, names: list[str]) -> Check:
    """The check with the pods its evidence names: what a report shows events and logs of."""
    named = [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", check.observed)]
    return replace(check, pods=named)


def evaluate(e: Expectations, o: Observation) -> list[Check]:
    min_ready = o.statefulset.min_ready_seconds if o.statefulset else 0
    checks = (
        _about("deletion", check_workloads_exist(e, o))
        + _about(
            "ordering",
            check_pod_names(e, o.statefulset_pods, o.deployment_pods, o.terminating, o.statefulset is not None),
        )
        + _about("ordering", check_creation_order(e, o.statefulset_pods, o.events, min_ready))
        + _about("identity", check_hostnames(e, o.statefulset_pods, o.deployment_pods))
        + _about("identity", check_identity_labels(e, o.statefulset_pods))
        + _about("identity", check_dns(e, o))
        + _about("identity", check_srv(e, o))
        + _about("storage", check_claims(e, o.statefulset_pods, o.deployment_pods, o.claims, o.events))
        + _about("storage", check_volume_nodes(e, o.statefulset_pods, o.claims))
        + _about("storage", check_volumes_wait_for_their_pods(e, o.statefulset_pods, o.claims))
        + _about("storage", check_default_class(e, o.claims))
        + _about("nodes", check_spread(e, o.statefulset_pods, o.nodes))
        + _about("storage", check_stable_storage(e, o.stable_storage, o.stable_storage_error))
        + _about("updates", check_partition(e, o.statefulset, o.statefulset_pods, o.terminating, o.revisions))
        + _about("scaling", check_replicas_as_asked(e, o))
        + _about("scaling", check_scale_in_order(e, o.events, audited(o)))
        + _about("scaling", check_scale_in_by_the_controller(e, o))
        + _about("scaling", check_parallel_scale_in(e, o))
        + _about("scaling", check_held_back(e, o))
        + _about("scaling", check_scale_in_claims(e, o.events, o.claims))
        + _about("scaling", check_deployment_scale_in(e, o.deployment_pods, o.events))
        + _about("scaling", check_deployment_scale_out(e, o.deployment_pods, o.scalings))
        + _about("updates", check_rollout(e, o))
        + _about("updates", check_budget_counts_the_unavailable(e, o))
        + _about("updates", check_revision_history(e, o))
        + _about("nodes", check_node_lessons(e, o))
        + _about(LESSON_TOPIC.get(e.lesson, "updates"), check_lesson(e, o))
        + _about("deletion", check_cascade_by_the_garbage_collector(e, o))
        + _about("deletion", check_orphan_by_kubectl(e, o))
        + _about("nodes", check_eviction_by_the_node_lifecycle(e, o))
    )
    names = [p.name for p in [*o.statefulset_pods, *o.deployment_pods, *o.terminating, *o.strangers]]
    return [_with_pods(c, names) for c in checks]

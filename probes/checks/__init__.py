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
- `pods`:      names, creation order, hostnames, spread, partition, scale-in order
- `dns`:       per-pod and dashed-IP records, each Service's own name
- `storage`:   claims, volume directories and nodes, stable storage, kept claims
- `nodes`:     what a drained, cordoned or failed node does to the pods
"""

from __future__ import annotations

from probes.checks.dns import check_dns
from probes.checks.nodes import check_node_lessons
from probes.checks.pods import (
    check_creation_order,
    check_hostnames,
    check_partition,
    check_pod_names,
    check_scale_in_order,
    check_spread,
)
from probes.checks.storage import check_claims, check_scale_in_claims, check_stable_storage, check_volume_nodes
from probes.checks.workloads import check_workloads_exist
from probes.facts import Check, Expectations, Observation


def evaluate(e: Expectations, o: Observation) -> list[Check]:
    min_ready = o.statefulset.min_ready_seconds if o.statefulset else 0
    return (
        check_workloads_exist(e, o)
        + check_pod_names(e, o.statefulset_pods, o.deployment_pods, o.terminating)
        + check_creation_order(e, o.statefulset_pods, o.events, min_ready)
        + check_hostnames(e, o.statefulset_pods, o.deployment_pods)
        + check_dns(e, o)
        + check_claims(e, o.statefulset_pods, o.deployment_pods, o.claims)
        + check_volume_nodes(e, o.statefulset_pods, o.claims)
        + check_spread(e, o.statefulset_pods, o.nodes)
        + check_stable_storage(e, o.stable_storage)
        + check_partition(e, o.statefulset, o.statefulset_pods, o.terminating)
        + check_scale_in_order(e, o.events)
        + check_scale_in_claims(e, o.events, o.claims)
        + check_node_lessons(e, o)
    )

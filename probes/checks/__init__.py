"""Pure evaluation of observed facts against the stack's expectations.

Each check states what the seed note expects, what was seen, and a verdict
(probes.facts.Verdict): "passed" only on positive evidence from this run;
"failed" when the evidence contradicts the expectation; "inconclusive" when the
run could not tell; "not applicable" when there is nothing to judge (no pods
because replicas is 0). Checks of an experiment the stack did not ask for (a
scale-in, the destructive storage run, the node spread) are left out.

- `pods`:    names, creation order, hostnames, spread, partition, scale-in order
- `dns`:     per-pod and dashed-IP records
- `storage`: claims, volume directories and nodes, stable storage, kept claims
"""

from __future__ import annotations

from probes.checks.dns import check_dns
from probes.checks.pods import (
    check_creation_order,
    check_hostnames,
    check_partition,
    check_pod_names,
    check_scale_in_order,
    check_spread,
)
from probes.checks.storage import check_claims, check_scale_in_claims, check_stable_storage, check_volume_nodes
from probes.facts import Check, Expectations, Observation


def evaluate(e: Expectations, o: Observation) -> list[Check]:
    return (
        check_pod_names(e, o.statefulset_pods, o.deployment_pods)
        + check_creation_order(e, o.statefulset_pods, o.events, o.statefulset.min_ready_seconds)
        + check_hostnames(e, o.statefulset_pods, o.deployment_pods)
        + check_dns(e, o.statefulset_pods, o.deployment_pods, o.dns)
        + check_claims(e, o.statefulset_pods, o.deployment_pods, o.claims)
        + check_volume_nodes(e, o.statefulset_pods, o.claims)
        + check_spread(e, o.statefulset_pods, o.nodes)
        + check_stable_storage(e, o.stable_storage)
        + check_partition(e, o.statefulset, o.statefulset_pods)
        + check_scale_in_order(e, o.events)
        + check_scale_in_claims(e, o.events, o.claims)
    )

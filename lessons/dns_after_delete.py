"""dns-after-delete: the DNS name of a StatefulSet pod that is deleted and made
again, looked up all along, as the tutorial's second nslookup does.

The name answers with the old IP until the pod goes, then "not found" (a
headless Service publishes Ready pods only), and once the new pod is Ready,
with its new IP. How soon is not promised: the record appears when the
EndpointSlice and the cluster DNS have seen the pod, and a "not found" answer
may be cached (CoreDNS keeps it for its zone's SOA minimum). The lesson asks
from a busybox pod of the probes' image every half second, until the new pod
is Ready and the name gives its IP twice in a row, and records every answer.
"""

from __future__ import annotations

import time

from kube.objects import is_ready, is_terminating
from lessons.cluster import POLL_SECONDS, LessonCluster, LessonError, now, say
from lessons.spec import LessonSpec
from probes.calls import Kubectl, ProbeError
from probes.dns_pod import DnsProbePod
from probes.facts import RESOLVED
from probes.lesson_record import LessonRecord, TimedLookup

SETTLED_ANSWERS = 2
"""The new IP this many times in a row, the new pod Ready: the lesson has seen the end."""


def dns_after_delete(spec: LessonSpec) -> LessonRecord:
    lab = LessonCluster(spec)
    started = now()
    assert spec.ordinal is not None  # the settings require it
    pod = spec.pod(spec.ordinal)
    before = lab.snapshot()
    old = next((p for p in before if p.name == pod and p.ready), None)
    if old is None:
        raise LessonError(f"{pod} is not there and Ready: there is no name to watch come back")
    name = f"{pod}.{spec.statefulset_service}"
    dns_pod = DnsProbePod(Kubectl(spec.timeout_seconds), spec.target, spec.dns_image, spec.timeout_seconds)
    lookups: list[TimedLookup] = []
    ready_seen, new_ip, problem = "", "", ""

    def ask() -> TimedLookup:
        at = now()
        found = dns_pod.lookup([name])[0]
        lookups.append(TimedLookup(at, found.outcome, found.addresses))
        return lookups[-1]

    try:
        lab.steps.append(f"kubectl run {dns_pod.name} --image={spec.dns_image} (the lookups' pod)")
        dns_pod.start()
        ask()
        say(f"deleting {pod} while {name} is looked up every {POLL_SECONDS:g} s")
        lab.run(lab.kubectl("delete", "pod", pod, "--wait=false"))
        lab.steps.append(f"kubectl exec {dns_pod.name} -- nslookup {name} (every {POLL_SECONDS:g} s)")
        deadline = time.monotonic() + spec.timeout_seconds
        while time.monotonic() < deadline:
            ask()
            if not ready_seen:
                fresh = [
                    i
                    for i in lab.pod_items()
                    if i["metadata"]["name"] == pod and i["metadata"]["uid"] != old.uid and not is_terminating(i)
                ]
                if fresh and is_ready(fresh[0]):
                    ready_seen, new_ip = now(), fresh[0].get("status", {}).get("podIP", "")
            tail = lookups[-SETTLED_ANSWERS:]
            if ready_seen and all(x.outcome == RESOLVED and x.addresses == [new_ip] for x in tail):
                break
            time.sleep(POLL_SECONDS)
        else:
            problem = (
                f"{name} did not answer with the new pod's IP twice in a row within {spec.timeout_seconds} s"
                if ready_seen
                else f"no new {pod} was Ready within {spec.timeout_seconds} s"
            )
    except ProbeError as err:
        problem = f"the lookups from {dns_pod.name} failed: {err}"
    finally:
        try:
            dns_pod.delete()
        except ProbeError as err:
            problem = problem or f"the lookups' pod {dns_pod.name} could not be deleted: {err}"
    return LessonRecord(
        lesson=spec.lesson, started=started, finished=now(), ordinal=spec.ordinal, before=before,
        after=lab.snapshot(), lookups=lookups, ready_seen=ready_seen, steps=lab.steps, problem=problem,
    )  # fmt: skip

"""The DNS probe pod: a short-lived busybox pod from which the lookups run,
as the seed ran nslookup from one.

It has a unique name and a label naming the probe run, and a deadline after
which the kubelet stops it even if the probe that started it was killed;
the probe deletes it in every path.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from kube.target import KubectlTarget
from probes import commands as cmd
from probes.calls import Kubectl
from probes.facts import DnsLookup
from probes.parse import parse_dns_script_output

DNS_SETTLE_SECONDS = 90
"""How long lookups are repeated until every answer is final. A new pod's
records appear once it is Ready, its EndpointSlice is written and CoreDNS has
seen it; on a busy two-core machine that has taken over 45 s."""
STEADY_ROUNDS = 3
"""Rounds in a row with the same answers that end the wait once every record
is due (`records_due`): longer than CoreDNS's negative-answer TTL (5 s on the
lab cluster), so an answer cached from just before a change has expired."""
SILENT_DNS_SECONDS = 30
"""When not even the control name resolves for this long, DNS is not
answering (CoreDNS down): waiting longer would change nothing."""


class DnsProbePod:
    """One run's DNS pod: start it, look names up from it, delete it."""

    def __init__(self, k: Kubectl, target: KubectlTarget, image: str, timeout_seconds: int) -> None:
        self._k = k
        self._target = target
        self._image = image
        self._timeout = timeout_seconds
        self.run_token = secrets.token_hex(4)
        self.name = f"probe-dns-{self.run_token}"
        self.last_output = ""
        """What the last round of lookups printed, the evidence of the DNS checks."""

    def start(self) -> None:
        """Starts the pod and waits until it is Ready."""
        deadline = cmd.dns_pod_deadline_seconds(self._timeout, DNS_SETTLE_SECONDS)
        self._k.run(cmd.start_dns_pod(self._target, self.name, self._image, self.run_token, deadline))
        self._k.run(cmd.wait_ready(self._target, self.name, self._timeout))

    def lookup(self, queries: list[str]) -> list[DnsLookup]:
        self.last_output = self._k.run(cmd.exec_dns(self._target, self.name, queries))
        return parse_dns_script_output(self.last_output)

    def shown_command(self, queries: list[str]) -> str:
        """The lookups' command as a report shows it: the script's loop stands for itself."""
        return f"kubectl exec {self.name} -- sh -c '<nslookup of {len(queries)} names, 32 at a time>'"

    def lookup_until_settled(
        self,
        queries: list[str],
        settled: Callable[[list[DnsLookup]], bool],
        control: str = "",
        records_due: Callable[[], bool] = lambda: False,
    ) -> tuple[list[DnsLookup], int, str]:
        """All lookups, repeated until `settled` says every answer is final, or
        the settle time is up (then the last answers stand); how many rounds;
        and how the wait ended: "settled", "window" (the time ran out),
        "silent" (the control name never resolved) or "steady" (the answers
        are not the expected ones, but no record can still be on its way:
        `records_due` holds and STEADY_ROUNDS rounds gave the same answers, as
        on a cluster whose Service was changed: waiting out the window would
        change nothing).

        Cluster DNS is eventually consistent: a pod's records appear only after
        it is Ready, its EndpointSlice is updated and CoreDNS has seen it (and a
        negative answer may be cached for a few seconds), as a person waiting a
        moment before their nslookup would find. When the `control` name never
        resolved for SILENT_DNS_SECONDS, DNS is not answering and the wait ends.
        """
        started = time.monotonic()
        attempts = 0
        answered = False
        same_in_a_row, last = 0, None
        while True:
            attempts += 1
            lookups = self.lookup(queries)
            answered = answered or any(d.query == control and d.resolved for d in lookups)
            waited = time.monotonic() - started
            silent = control and not answered and waited > SILENT_DNS_SECONDS
            answers = sorted((d.query, d.outcome, tuple(sorted(d.addresses))) for d in lookups)
            same_in_a_row = same_in_a_row + 1 if answers == last else 1
            last = answers
            if settled(lookups):
                return lookups, attempts, "settled"
            if silent:
                return lookups, attempts, "silent"
            if same_in_a_row >= STEADY_ROUNDS and records_due():
                return lookups, attempts, "steady"
            if waited > DNS_SETTLE_SECONDS:
                return lookups, attempts, "window"
            time.sleep(2)

    def delete(self) -> None:
        """Removes the pod at once; a failure to remove it is an error of its own."""
        self._k.run(cmd.delete_pod_now(self._target, self.name))

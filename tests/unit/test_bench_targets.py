"""The benchmark's targets: each judged from the run's own medians."""

from __future__ import annotations

from bench.markdown import targets
from bench.stats import Series


def _series(noop_up: float) -> dict[str, Series]:
    return {
        "pulumi up": Series("pulumi up", [11.0]),
        "kubectl apply + rollout status": Series("kubectl", [10.0]),
        "no-op pulumi up": Series("no-op pulumi up", [noop_up]),
        "no-op kubectl apply": Series("no-op kubectl apply", [1.0]),
    }


def _met(noop_up: float) -> dict[str, bool]:
    return {t.measurement: t.met for t in targets(_series(noop_up), {}, {})}


def test_a_no_op_up_of_2_seconds_or_less_meets_its_target_and_more_misses_it() -> None:
    assert _met(1.9)["no-op pulumi up (probes on)"] is True
    assert _met(2.2)["no-op pulumi up (probes on)"] is False
    assert _met(2.2)["pulumi up / (kubectl apply + rollout status)"] is True  # 1.10x
    assert _met(1.9)["no-op pulumi up / no-op kubectl apply"] is False  # 1.9x of kubectl's 1 s

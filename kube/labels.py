"""The one labels() helper: the same labels feed every selector and pod template."""

from __future__ import annotations


def labels(app: str) -> dict[str, str]:
    """Selector and pod-template labels of a workload (`app: nginx-sts` in the seed)."""
    return {"app": app}


def selector(app: str) -> str:
    """The same labels as a kubectl label selector (`app=nginx-sts`)."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels(app).items()))

"""How each verdict is marked wherever a report shows it."""

from __future__ import annotations

from probes.facts import FAILED, INCONCLUSIVE, NOT_APPLICABLE, PASSED, Verdict

MARKS: dict[Verdict, str] = {PASSED: "PASS", FAILED: "FAIL", INCONCLUSIVE: "INCONCLUSIVE", NOT_APPLICABLE: "N/A"}

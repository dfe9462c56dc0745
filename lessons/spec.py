"""What a lesson is told: the JSON document `python -m lessons` reads, which
the program's lesson command (components/lesson_step.py) writes. The
kubeconfig comes through the command's environment (KUBECONFIG)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from kube.names import LabNames, WorkloadNames
from kube.target import KubectlTarget
from probes.lesson_catalogue import LessonName


@dataclass(frozen=True)
class LessonSpec:
    lesson: LessonName
    namespace: str
    statefulset: str
    statefulset_service: str
    deployment: str
    deployment_service: str
    container: str
    document_root: str
    replicas: int
    ordinals_start: int = 0
    ordinal: int | None = None
    timeout_seconds: int = 180
    context: str = ""
    run_id: str = ""
    """Only here so that a new value changes the command, which runs it again."""
    dns_image: str = ""
    """dns-after-delete: the image of the pod it looks the name up from (dnsProbeImage)."""

    @classmethod
    def for_lab(cls, names: LabNames, **settings: object) -> LessonSpec:
        return cls(
            statefulset=names.statefulset.workload,
            statefulset_service=names.statefulset.service,
            deployment=names.deployment.workload,
            deployment_service=names.deployment.service,
            container=names.container,
            document_root=names.document_root,
            **settings,  # type: ignore[arg-type]
        )

    @property
    def names(self) -> LabNames:
        return LabNames(
            statefulset=WorkloadNames(self.statefulset, self.statefulset_service),
            deployment=WorkloadNames(self.deployment, self.deployment_service),
            container=self.container,
            document_root=self.document_root,
        )

    @property
    def target(self) -> KubectlTarget:
        return KubectlTarget(namespace=self.namespace, context=self.context)

    def pod(self, ordinal: int) -> str:
        return f"{self.statefulset}-{ordinal}"

    @property
    def highest_ordinal(self) -> int:
        return self.ordinals_start + self.replicas - 1

    def to_json(self) -> str:
        # dns_image only where it is set: a spec written without it stays the
        # same command, so a stack's earlier lesson does not run again.
        fields = {k: v for k, v in asdict(self).items() if k != "dns_image" or v}
        return json.dumps(fields, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LessonSpec:
        return cls(**json.loads(text))

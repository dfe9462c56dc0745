"""statefulset-lab: the seed's StatefulSet vs Deployment lab as one Pulumi program.

Settings (validated) -> storage -> headless Services -> the two workloads ->
verification probes -> stack outputs.
"""

import pulumi

from components.cluster import component_options, kubectl_target, kubernetes_provider
from components.headless_service import HeadlessService, HeadlessServiceArgs
from components.lab_namespace import lab_namespace
from components.lesson_step import lesson_step
from components.local_path_storage import LocalPathStorage, LocalPathStorageArgs
from components.shared_volume_web_app import SharedVolumeWebApp, SharedVolumeWebAppArgs
from components.stateful_web_app import StatefulWebApp, StatefulWebAppArgs
from components.storage_guard import storage_drain, storage_guard
from components.verification_probes import VerificationProbes, VerificationProbesArgs
from gates.storage_users import GuardSpec
from kube.names import LabNames
from plan.field_support import unsupported_field_warnings
from plan.stack_config import check_lesson, decide_storage, load_settings, stack_owner

settings = load_settings()
names = LabNames()
check_lesson(settings, kubectl_target(settings))
for unsupported in unsupported_field_warnings(settings, kubectl_target(settings)):
    pulumi.log.warn(unsupported)
storage_plan = decide_storage(settings, kubectl_target(settings))
provider = kubernetes_provider("cluster", settings)
storage_spec = GuardSpec(storage_plan.storage_class_name, settings.namespace, stack_owner(), settings.cluster.context)

storage_class_name: pulumi.Input[str] = storage_plan.storage_class_name
storage: LocalPathStorage | None = None
# What the stack's namespace and workloads wait for (and outlive on destroy).
after_storage: list[pulumi.Resource] = []
if storage_plan.install:
    storage = LocalPathStorage(
        "local-path",
        LocalPathStorageArgs(
            image=settings.storage.provisioner_image,
            storage_class_name=storage_plan.storage_class_name,
            make_default=storage_plan.make_default,
            owner=stack_owner(),
        ),
        opts=component_options(provider),
    )
    storage_class_name = storage.storage_class_name
    if not settings.renders_only:
        after_storage.append(storage_drain("storage-drain", storage_spec, kubectl_target(settings), storage))
namespace = lab_namespace(settings, provider, depends_on=after_storage)

# The workloads name their governing Services, fixed names DNS hangs below,
# rather than waiting for them: Kubernetes links a pod to its Service by name
# whenever both exist, so the four objects are created side by side.
sts_service = HeadlessService(
    names.statefulset.service,
    HeadlessServiceArgs(workload=names.statefulset, namespace=namespace),
    opts=component_options(provider),
)
dep_service = HeadlessService(
    names.deployment.service,
    HeadlessServiceArgs(workload=names.deployment, namespace=namespace),
    opts=component_options(provider),
)
# useDefaultStorageClass: the claims name no class, and the cluster fills in its default.
claims_class: pulumi.Input[str] | None = storage_class_name if storage_plan.claims_name_class else None
web_sts = StatefulWebApp(
    names.statefulset.workload,
    StatefulWebAppArgs(
        settings=settings,
        names=names,
        storage_class_name=claims_class,
        namespace=namespace,
        kubectl=kubectl_target(settings),
    ),
    opts=component_options(provider, depends_on=after_storage),
)
web_dep = SharedVolumeWebApp(
    names.deployment.workload,
    SharedVolumeWebAppArgs(
        settings=settings,
        names=names,
        storage_class_name=claims_class,
        namespace=namespace,
        kubectl=kubectl_target(settings),
    ),
    opts=component_options(provider, depends_on=after_storage),
)

everything_else: list[pulumi.Resource] = [r for r in (storage, sts_service, dep_service, web_sts, web_dep) if r]

pulumi.export("namespace", namespace)
pulumi.export("statefulset", web_sts.name)
pulumi.export("deployment", web_dep.name)
pulumi.export("storageClass", storage_class_name)

# The lesson's action runs after both rollouts; the probes judge what it did.
lesson = lesson_step("lesson", settings, names, kubectl_target(settings), after=[web_sts, web_dep])
if lesson is not None:
    everything_else.append(lesson)

if settings.probes.enabled and not settings.renders_only:
    probes = VerificationProbes(
        "probes",
        VerificationProbesArgs(
            settings=settings,
            names=names,
            kubectl=kubectl_target(settings),
            # A replaced workload (uid) or a changed spec (generation) can change what the probes see.
            triggers=[web_sts.uid, web_sts.generation, web_dep.uid, web_dep.generation],
            lesson_record=lesson.stdout if lesson is not None else None,
            default_class="" if storage_plan.claims_name_class else storage_plan.storage_class_name,
        ),
        opts=pulumi.ResourceOptions(
            depends_on=[web_sts, web_dep, sts_service, dep_service, *([lesson] if lesson is not None else [])]
        ),
    )
    pulumi.export("checks", probes.checks)
    pulumi.export("checkCounts", probes.counts)
    # The whole document stays in the state, as the probe command's stdout,
    # where the report reads it: an output would print it as a diff on every up.
    everything_else.append(probes)

if storage is not None and not settings.renders_only:
    # Created last, so that it goes first: a destroy stops here, with nothing
    # deleted, while other stacks' claims still use this installation.
    storage_guard("storage-guard", storage_spec, kubectl_target(settings), [*everything_else, *after_storage])

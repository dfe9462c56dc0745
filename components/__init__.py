"""The Pulumi program's building blocks, everything that runs inside `pulumi up`.

- ComponentResources, one per module: `local_path_storage`, `headless_service`,
  `stateful_web_app`, `shared_volume_web_app`, `verification_probes`
- pure spec builders beside them: `web_workload_specs`, `local_path_specs`
- the commands `pulumi up` runs (pulumi-command `local.Command`s) and how they
  are written: `rollout_gate`, `lesson_step`, `storage_guard`, `local_commands`
- settings and planning before any resource exists: `settings` (pure
  validation), `stack_config` (reads the stack's config), `cluster_facts`
  (reads the cluster at preview), `storage_plan` (pure decision),
  `lesson_plan` (whether the lesson can run on this cluster), `field_support`
  (which StatefulSet fields the cluster would drop), `cluster` (the
  provider), `lab_namespace`
"""

"""The Pulumi program's building blocks, everything that runs inside `pulumi up`.

- ComponentResources, one per module: `local_path_storage`, `headless_service`,
  `stateful_web_app`, `shared_volume_web_app`, `verification_probes`
- pure spec builders beside them: `web_workload_specs`, `local_path_specs`
- the commands `pulumi up` runs (pulumi-command `local.Command`s) and how they
  are written: `rollout_gate`, `lesson_step`, `storage_guard`, `local_commands`
- the provider and the namespace: `cluster`, `lab_namespace`

The settings and the decisions made before any resource exists live in
`plan/`, below these.
"""

"""Verification probes: observe the lab's workloads with kubectl and check them
against what the seed note saw by hand. Run by the program as
`python -m probes observe` (a `local.Command`); imports nothing of Pulumi or
of the program's components, only the ground package `kube`.

One run is one pass: gather -> facts -> checks -> document.

- `observe`:        the run itself, orchestration only
- `gather`:         the listings of every object the checks look at, side by side
- `hostnames`:      `hostname` in every pod (through `pod_exec` where it can)
- `dns_pod`:        the DNS probe pod's life, and the lookups run from it
- `dns_plan`:       which names are looked up, and when the answers are final
- `stable_storage`: the destructive run of the seed's stable-storage lab
- `commands`:       pure builders of every kubectl argv and in-pod script
- `calls`:          running them: kube.runner, each failure a ProbeError
- `parse`:          kubectl JSON and command output to typed facts (`facts`)
- `creation`:       which pods a rolling update created, and the order of the others
- `checks`:         pure verdicts of the facts against the stack's expectations
- `document`:       the probe document as the stack stores it, and where the stack keeps its command
- `lesson_record`, `lesson_catalogue`, `topics`: the lessons' contract and the report's topics

The document is rendered on the host by the top-level package `report`.
"""

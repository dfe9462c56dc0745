"""Verification probes: observe the lab's workloads with kubectl and check them
against what the seed note saw by hand.

- `commands`: pure builders of every kubectl argv and in-pod script
- `facts`:    the typed facts a probe run produces
- `parse`:    pure parsers from kubectl JSON / command output to facts
- `creation`: which pods a rolling update created, and the creation order of the others
- `checks`:   pure evaluation of facts against the stack's expectations, each with a verdict
- `observe`:  runs the commands (in parallel where per-pod) and prints one JSON document
- `report`:   the side-by-side table and the SVG pod timeline
"""

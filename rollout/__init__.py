"""Rollout gate: waits until a StatefulSet's or Deployment's rollout is over.

- `progress`: pure judgement of one `kubectl get` listing (done, or what is awaited)
- `wait`:     the kubectl loop that `python -m rollout '<json>'` runs during `pulumi up`

It imports nothing of Pulumi, so the gate starts quickly.
"""

"""Gates: commands `pulumi up` (and `destroy`) run to wait for, or refuse, something.

- `rollout_progress`: pure judgement of a workload's rollout from one kubectl listing
- `rollout_wait`:     waits until a StatefulSet's or Deployment's rollout is over
- `storage_users`:    refuses to remove a local-path installation other stacks use
- `reads`:            reading the cluster, every failure a GateError (kube.runner underneath)

They import nothing of Pulumi, so they start quickly.
"""

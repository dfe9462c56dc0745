"""The ground floor: what the program, the probes and the gates share about
talking to the cluster. Nothing here imports Pulumi, so the commands that
`pulumi up` launches (probes, gates) start quickly.

- `target`:     which cluster, context and namespace a kubectl call talks to, and its argv
- `runner`:     the one way to run kubectl: a deadline, its own process group, clear errors
- `kubeconfig`: reading kubeconfig files as kubectl merges them
- `names`:      the lab's object names, written once
- `storage_names`: the provisioner's namespace and the StorageClass annotations the lab reads and writes
- `labels`:     the labels and selectors of the lab's workloads
- `objects`:    reading conditions, ordinals and ownership from Kubernetes objects
"""

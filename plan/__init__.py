"""What the program decides before any resource exists, from the stack's
config and, at preview, the cluster. The components build from its answers.

- `settings`:      the one frozen, validated settings object (pure validation)
- `stack_config`:  reads the stack's config into it
- `cluster_facts`: reads the cluster at preview (nodes, StorageClasses, the provisioner's namespace)
- `storage_plan`:  whether to install the provisioner and its StorageClass (pure decision)
- `lesson_plan`:   whether the lesson can run on this cluster
- `field_support`: which StatefulSet fields the cluster would drop
"""

"""Lessons: the action of one step of an experiment, run by `pulumi up` as
`python -m lessons <lesson> '<spec>'` (a `local.Command`) after the rollout
gates and before the probes, once per change of the stack's lesson settings.
Each prints a `probes.lesson_record.LessonRecord` that the probes judge.

- `spec`:                what a lesson is told (the JSON the program passes)
- `cluster`:             how a lesson reads and changes the cluster, and waits
- `pod_deletion`:        delete-pods, delete-pod, force-delete-pod
- `statefulset_deletion`: orphan, adopt, cascade-delete
- `nodes`:               drain, uncordon, stop-node, start-node

Like the probes and gates, they import nothing of Pulumi.
"""

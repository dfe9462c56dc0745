"""Benchmarks: what Pulumi and the probes cost, against kubectl on the same cluster.

`python -m bench` (make bench) writes BENCHMARKS.md and bench/results.json.
It is a tool, not a test: it reports numbers and never fails on them.
"""

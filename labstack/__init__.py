"""Automation API helpers shared by the end-to-end suite and the benchmarks."""

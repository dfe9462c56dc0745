"""Runs the Pulumi program under Pulumi's mocks and records every registration
(type, name, parent, dependencies, inputs), so tests can assert on the graph."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks

from plan import cluster_facts, field_support
from plan.cluster_facts import ExistingObject

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "statefulset-lab"


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    dependencies: tuple[str, ...]
    inputs: dict[str, Any]
    custom: bool
    delete_before_replace: bool


class _EchoMocks(Mocks):
    """New resources echo their inputs; Kubernetes objects get a uid and generation."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ.startswith("kubernetes:") and isinstance(state.get("metadata"), dict):
            meta = dict(state["metadata"])
            meta.setdefault("name", f"{args.name}-generated")
            meta.setdefault("uid", f"uid-{args.name}")
            meta.setdefault("generation", 1)
            state["metadata"] = meta
        return f"{args.name}-id", state

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class _RecordingMonitor(MockMonitor):
    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != "pulumi:pulumi:Stack":
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    dependencies=tuple(request.dependencies),
                    inputs=pulumi.runtime.rpc.deserialize_properties(request.object),
                    custom=request.custom,
                    delete_before_replace=request.deleteBeforeReplace,
                )
            )
        return response


@dataclass
class ProgramRun:
    registrations: list[Registration]
    exports: dict[str, Any]

    def one(self, type_: str, name: str | None = None) -> Registration:
        found = [r for r in self.registrations if r.type == type_ and (name is None or r.name == name)]
        assert len(found) == 1, f"expected one {type_} {name or ''}, found {[r.name for r in found]}"
        return found[0]

    def all(self, type_: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_]

    def by_urn(self, urn: str) -> Registration:
        return next(r for r in self.registrations if r.urn == urn)


def run_program(
    config: dict[str, str] | None = None,
    record: list[Registration] | None = None,
    cluster: dict[tuple[str, str], ExistingObject] | None = None,
) -> ProgramRun:
    """Runs __main__.py with `config` (short keys) and returns what it registered.

    `cluster` stands in for what the program reads from the cluster: (kind,
    name) -> object; absent keys do not exist. `record`, when given, receives
    the registrations even if the program fails.
    """
    existing = cluster or {}
    real_read = cluster_facts.read_storage_facts

    def read_storage_facts(target: object, namespace: str) -> tuple[list[ExistingObject], ExistingObject | None]:
        classes = [obj for (kind, _), obj in existing.items() if kind == "storageclass"]
        return classes, existing.get(("namespace", namespace))

    real_fields = field_support.unsupported_field_warnings
    real_nodes = cluster_facts.read_node_names
    cluster_facts.read_storage_facts = read_storage_facts
    # The program's other reads of the cluster: its nodes, and which fields it keeps (all of them).
    cluster_facts.read_node_names = lambda target: sorted(name for kind, name in existing if kind == "node")
    field_support.unsupported_field_warnings = lambda settings, target: []
    try:
        return _run(config, record)
    finally:
        cluster_facts.read_storage_facts = real_read
        cluster_facts.read_node_names = real_nodes
        field_support.unsupported_field_warnings = real_fields


def _run(config: dict[str, str] | None, record: list[Registration] | None) -> ProgramRun:
    mocks = _EchoMocks()
    monitor = _RecordingMonitor(mocks)
    if record is not None:
        monitor.registrations = record
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="unit", preview=False, monitor=monitor)
    pulumi.runtime.set_all_config({f"{PROJECT}:{k}": v for k, v in (config or {}).items()})
    exports: dict[str, Any] = {"outputs": []}
    real_export = pulumi.export

    @pulumi.runtime.test  # type: ignore[misc]
    def program() -> Any:
        namespace = runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")
        exports["names"] = sorted(namespace)
        return pulumi.Output.from_input(None)

    # Under the mocks there is no stack resource to take the outputs: their names are recorded instead.
    pulumi.export = lambda name, value: exports["outputs"].append(name)
    try:
        program()
    finally:
        pulumi.export = real_export
    return ProgramRun(registrations=monitor.registrations, exports=exports)

"""Frozen dataclasses to JSON values and back, driven by their fields' types.

The probe document is made of the facts' dataclasses; writing it is
`to_json_value`, and reading it back is `from_json_value(ProbeDocument, raw)`,
which checks each value against its field's type on the way. A field added
to a dataclass is written and read with no further code: a field with a
default may be missing from what was stored (it reads as its default), a
field without one may not. Keys the type does not know are ignored, so a
newer writer's extra fields do not stop an older reader.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")

_hints = functools.cache(get_type_hints)
"""A dataclass's resolved field types; asked once per class, not once per object read."""


class DocumentShapeError(ValueError):
    """Stored JSON does not fit the type it is read as; the message names where."""


def to_json_value(value: Any) -> Any:
    """Dataclasses (nested, in lists and dicts) to plain dicts and lists, field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    return value


def from_json_value(kind: type[T], raw: Any, where: str = "document") -> T:
    """`raw` (parsed JSON) as a value of `kind`; DocumentShapeError naming the path when it does not fit."""
    value: T = _read(kind, raw, where)
    return value


def _read(kind: Any, raw: Any, where: str) -> Any:
    if kind is Any:
        return raw
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _read_dataclass(kind, raw, where)
    reader = _READERS.get(get_origin(kind), _read_scalar)
    return reader(kind, raw, where)


def _read_literal(kind: Any, raw: Any, where: str) -> Any:
    if raw not in get_args(kind):
        raise DocumentShapeError(f"{where} is {raw!r}, not one of {', '.join(map(repr, get_args(kind)))}")
    return raw


def _read_list(kind: Any, raw: Any, where: str) -> Any:
    (item,) = get_args(kind)
    return [_read(item, v, f"{where}[{i}]") for i, v in enumerate(_expect(list, raw, where))]


def _read_dict(kind: Any, raw: Any, where: str) -> Any:
    _, item = get_args(kind)
    return {k: _read(item, v, f"{where}.{k}") for k, v in _expect(dict, raw, where).items()}


def _read_scalar(kind: Any, raw: Any, where: str) -> Any:
    if kind is float:
        return float(_expect(int | float, raw, where))
    if kind not in (str, int, bool):
        raise TypeError(f"{where}: no JSON reading for type {kind!r}")
    # JSON true is a Python int too: a count or an ordinal must not read as one.
    if isinstance(raw, bool) and kind is int:
        raise DocumentShapeError(f"{where} is {raw!r}, not a number")
    return _expect(kind, raw, where)


def _read_dataclass(kind: type, raw: Any, where: str) -> Any:
    stored = _expect(dict, raw, where)
    hints = _hints(kind)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(kind):
        if f.name in stored:
            values[f.name] = _read(hints[f.name], stored[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise DocumentShapeError(f"{where} has no {f.name!r}")
    return kind(**values)


def _read_union(kind: Any, raw: Any, where: str) -> Any:
    choices = get_args(kind)
    if raw is None and type(None) in choices:
        return None
    failures = []
    for choice in (c for c in choices if c is not type(None)):
        try:
            return _read(choice, raw, where)
        except DocumentShapeError as err:
            failures.append(str(err))
    raise DocumentShapeError("; ".join(failures) or f"{where} is null")


_READERS: dict[Any, Callable[[Any, Any, str], Any]] = {
    typing.Union: _read_union,
    types.UnionType: _read_union,
    typing.Literal: _read_literal,
    list: _read_list,
    dict: _read_dict,
}


def _expect(kind: Any, raw: Any, where: str) -> Any:
    if not isinstance(raw, kind):
        raise DocumentShapeError(f"{where} is {type(raw).__name__} {raw!r:.60}, not {getattr(kind, '__name__', kind)}")
    return raw

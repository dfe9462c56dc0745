"""Every check name the code in probes/checks can emit, read from the source.

Each check is written down by `make_check(name, ...)`. The name is a literal,
an f-string (a pod, a node, a number filled in), a variable assigned such
values in the same function, or a sum or conditional of those. Each becomes a
pattern, the f-string's fields matching anything, so a check added anywhere
in probes/checks is found without anyone listing it. A call that passes an
attribute (`c.name`) re-makes a check already named elsewhere and adds no name.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from itertools import product
from pathlib import Path

CHECKS = Path(__file__).resolve().parents[2] / "probes" / "checks"


def _literal(node: ast.expr) -> str | None:
    """The pattern of a string literal or f-string (its fields match anything)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(re.escape(str(part.value)) if isinstance(part, ast.Constant) else ".+" for part in node.values)
    return None


def _patterns(node: ast.expr, scope: ast.AST) -> list[str] | None:
    """Regular expressions for the strings `node` can evaluate to; None when it names no new check."""
    literal = _literal(node)
    if literal is not None:
        return [literal]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _patterns(node.left, scope), _patterns(node.right, scope)
        return [a + b for a, b in product(left, right)] if left and right else None
    if isinstance(node, ast.IfExp):
        return [*(_patterns(node.body, scope) or []), *(_patterns(node.orelse, scope) or [])] or None
    if isinstance(node, ast.Name):
        return _assigned(node.id, scope)
    return None


def _assigned(name: str, scope: ast.AST) -> list[str] | None:
    """The patterns of every value the function assigns to `name`, or unpacks
    into it from a tuple of literals (`a, b = "x", "y"` or a loop over pairs)."""
    found: list[str] = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                found += _bound(target, node.value, name, scope)
        elif isinstance(node, ast.For | ast.comprehension):
            found += _looped(node, name, scope)
    return found or None


def _bound(target: ast.expr, value: ast.expr, name: str, scope: ast.AST) -> list[str]:
    if isinstance(target, ast.Name) and target.id == name:
        return _patterns(value, scope) or []
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Name):
        table = _module_constant(value.id)
        return _bound(target, table, name, scope) if table is not None else []
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        return [p for t, v in zip(target.elts, value.elts, strict=False) for p in _bound(t, v, name, scope)]
    return []


def _looped(loop: ast.For | ast.comprehension, name: str, scope: ast.AST) -> list[str]:
    """A name bound by `for name, ... in <module constant of tuples>`."""
    if not isinstance(loop.target, ast.Tuple) or not isinstance(loop.iter, ast.Name):
        return []
    table = _module_constant(loop.iter.id)
    if not isinstance(table, ast.Tuple):
        return []
    return [p for row in table.elts for p in _bound(loop.target, row, name, scope)]


@cache
def _modules() -> tuple[tuple[Path, ast.Module], ...]:
    """Each module of probes/checks, parsed once (a mutated copy of them is large)."""
    return tuple((path, ast.parse(path.read_text())) for path in sorted(CHECKS.glob("*.py")))


def _module_constant(name: str) -> ast.expr | None:
    """The value a module of probes/checks assigns to `name` at its top level."""
    for _, module in _modules():
        for node in module.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                return node.value
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                return node.value
    return None


def emitted_name_patterns() -> dict[str, str]:
    """Pattern -> where it is made (module:line), for every check name probes/checks can emit."""
    found: dict[str, str] = {}
    for path, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.Lambda):
                continue
            for call in ast.walk(function):
                if not (
                    isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "make_check"
                ):
                    continue
                for pattern in _patterns(call.args[0], function) or []:
                    found.setdefault(pattern, f"{path.name}:{call.lineno}")
    return found

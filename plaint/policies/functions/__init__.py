"""Check functions: one module each, called by rules in policy packs.

A module ``dead_ends.py`` provides the function ``dead-ends``. It defines::

    def check(process: Process, graph: ProcessGraph, **params) -> Iterator[Hit]

and may define ``PARAMS``, a JSON Schema for its parameters. Its docstring is
its documentation. A function yields only *what* and *where* (a Hit); the
engine stamps the rule id, severity, clauses, hint and source position.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class CheckFunction:
    name: str
    run: Callable[..., Iterable[Any]]
    params_schema: Mapping[str, Any]
    doc: str
    module: str


def _from_module(module: ModuleType, name: str) -> CheckFunction:
    return CheckFunction(
        name=name, run=module.check,
        params_schema=getattr(module, "PARAMS", {"type": "object", "additionalProperties": False}),
        doc=(module.__doc__ or "").strip(), module=module.__name__,
    )


@cache
def builtin_functions() -> dict[str, CheckFunction]:
    """Every function module in this package, by function name."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = info.name.replace("_", "-")
        found[name] = _from_module(module, name)
    return found

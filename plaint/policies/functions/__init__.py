"""Check functions: one module each, called by rules in policy packs.

A module ``dead_ends.py`` provides the function ``dead-ends``. It defines::

    def check(process: Process, graph: ProcessGraph, **params) -> Iterator[Hit]

and may define ``PARAMS``, a JSON Schema for its parameters. Its docstring is
its documentation. A function yields only *what* and *where* (a Hit); the
engine stamps the rule id, severity, clauses, hint and source position.

It may also define, with the same parameters::

    def evidence(process: Process, graph: ProcessGraph, **params) -> tuple[str, ...] | None

the ids of the elements (steps, roles, channels, or ``"process"``) that show
the rule is met when ``check`` finds nothing, or None when the rule does not
apply to this process. Only the report's clause coverage calls it
(plaint.core.coverage), never ``plaint check``.
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
    # The module's evidence(process, graph, **params) -> tuple[str, ...] | None, if it has one.
    evidence: Callable[..., tuple[str, ...] | None] | None = None


def _from_module(module: ModuleType, name: str) -> CheckFunction:
    return CheckFunction(
        name=name, run=module.check,
        params_schema=getattr(module, "PARAMS", {"type": "object", "additionalProperties": False}),
        doc=(module.__doc__ or "").strip(), module=module.__name__,
        evidence=getattr(module, "evidence", None),
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


PLUGIN_GROUP = "plaint.functions"


class PluginError(Exception):
    """A plugin function that cannot be used."""


@cache
def all_functions() -> dict[str, CheckFunction]:
    """Built-in functions plus those that installed packages offer as plugins.

    A plugin package declares, in its pyproject.toml::

        [project.entry-points."plaint.functions"]
        our-five-day-promise = "our_rules.five_day_promise"

    where the module has ``check(process, graph, **params)`` (and optionally
    ``PARAMS`` and ``evidence(process, graph, **params)``), exactly like a
    built-in function module.
    """
    from importlib.metadata import entry_points

    found = dict(builtin_functions())
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        if entry.name in found:
            raise PluginError(f"plugin function '{entry.name}' ({entry.value}) has the name of a "
                              "function plaint already has; rename it")
        try:
            module = entry.load()
        except Exception as err:  # a broken plugin must be named, not crash the run
            raise PluginError(f"plugin function '{entry.name}' ({entry.value}) cannot be loaded: "
                              f"{type(err).__name__}: {err}") from None
        if not callable(getattr(module, "check", None)):
            raise PluginError(f"plugin function '{entry.name}' ({entry.value}) has no check() function")
        if getattr(module, "evidence", None) is not None and not callable(module.evidence):
            raise PluginError(f"plugin function '{entry.name}' ({entry.value}) has an 'evidence' "
                              "that is not a function")
        found[entry.name] = _from_module(module, entry.name)
    return found

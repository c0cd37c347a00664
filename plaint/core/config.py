"""Configuration: which packs, which rule settings, for which files.

A ``.plaint.yaml`` is found from each spec's folder upwards (or given with
``--config``). It chooses packs besides the always-on ones (built-in ids or
paths to an organisation's own pack files), changes rule severities and
parameters or turns rules off, and overrides settings for some files.
Without a configuration file, plaint uses the built-in default: ``iso10002``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from plaint.core.engine import RuleSet
from plaint.core.model import did_you_mean
from plaint.core.packs import Pack, PackError, builtin_packs, load_checked, load_pack_file
from plaint.core.source import SourceDocument

CONFIG_NAME = ".plaint.yaml"
DEFAULT_PACKS = ("iso10002",)


class ConfigError(PackError):
    """A configuration that cannot be used; the message carries file:line:col."""


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    rules: Mapping[str, Any]


@dataclass(frozen=True)
class Config:
    path: Path | None  # None: the built-in default
    packs: tuple[str, ...] = DEFAULT_PACKS
    rules: Mapping[str, Any] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    doc: SourceDocument | None = None

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def describe(self) -> str:
        return str(self.path) if self.path else "none found (built-in defaults)"

    def where(self, path: tuple[str | int, ...], *, key: bool = False) -> str:
        if self.doc is None:
            return "configuration"
        span = self.doc.locate(path, key=key)
        return f"{self.path}:{span.line}:{span.column}"


def find_config(start: Path) -> Path | None:
    """The nearest .plaint.yaml in ``start`` or one of its parents."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        found = candidate / CONFIG_NAME
        if found.is_file():
            return found
    return None


def load_config(path: Path) -> Config:
    doc = load_checked(path, "config-v1.json", "configuration", error=ConfigError)
    data = doc.data
    return Config(
        path=path,
        packs=tuple(data.get("packs", DEFAULT_PACKS)),
        rules=dict(data.get("rules") or {}),
        overrides=tuple(Override(tuple(o["files"]), dict(o["rules"]))
                        for o in data.get("overrides", ())),
        doc=doc,
    )


class Configurator:
    """Finds configurations and builds (and caches) the rule set for each spec file."""

    def __init__(self, functions: Mapping[str, Any], *, config_path: str | None = None,
                 today: date | None = None) -> None:
        self.functions = functions
        self.today = today
        self._builtin = {p.id: p for p in builtin_packs()}
        self._fixed = load_config(Path(config_path)) if config_path else None
        self._configs: dict[Path | None, Config] = {}
        self._rulesets: dict[tuple, RuleSet] = {}

    def config_for(self, spec: Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        found = find_config(spec.parent)
        if found not in self._configs:
            self._configs[found] = load_config(found) if found else Config(path=None)
        return self._configs[found]

    def packs_for(self, config: Config) -> list[Pack]:
        """Always-on packs, the packs the configuration names, then the regulatory packs
        it does not name (those apply per process, by ``process.regimes``)."""
        packs = [p for p in self._builtin.values() if p.always]
        for index, name in enumerate(config.packs):
            if name in self._builtin:
                if not self._builtin[name].always:
                    packs.append(self._builtin[name])
                continue
            if not name.endswith((".yaml", ".yml")):
                optional = [p for p, pack in self._builtin.items() if not pack.always]
                raise ConfigError(f"{config.where(('packs', index))}: no built-in pack '{name}'."
                                  f"{did_you_mean(name, optional)} Built-in packs: "
                                  f"{', '.join(sorted(optional))}; or give the path of a pack file.")
            pack_path = config.folder / name
            if not pack_path.is_file():
                raise ConfigError(f"{config.where(('packs', index))}: pack file {pack_path} "
                                  "does not exist")
            packs.append(load_pack_file(pack_path))
        named = {p.id for p in packs}
        packs += [p for p in self._builtin.values() if p.regime and p.id not in named]
        return packs

    def rules_for(self, spec: str | Path) -> RuleSet:
        """The rule set that applies to one spec file (its config, and overrides that match it)."""
        spec = Path(spec)
        config = self.config_for(spec)
        matching = tuple(i for i, o in enumerate(config.overrides) if _matches(o, spec, config))
        key = (config.path, matching)
        if key not in self._rulesets:
            self._rulesets[key] = self._build(config, matching)
        return self._rulesets[key]

    def _build(self, config: Config, matching: tuple[int, ...]) -> RuleSet:
        packs = self.packs_for(config)
        known = {r.id for p in packs for r in p.rules}
        settings: dict[str, Any] = {}
        sources = [(("rules",), config.rules)]
        sources += [(("overrides", i, "rules"), config.overrides[i].rules) for i in matching]
        for where, rules in sources:
            for rule_id, setting in rules.items():
                if rule_id not in known:
                    raise ConfigError(f"{config.where((*where, rule_id), key=True)}: no rule "
                                      f"'{rule_id}' in the packs in force.{did_you_mean(rule_id, known)}")
                settings[rule_id] = _merge(settings.get(rule_id), setting)
        try:
            named = set(config.packs)
            by_regime = [p.id for p in packs if p.regime and p.id not in named]
            return RuleSet(packs, self.functions, settings, today=self.today, by_regime=by_regime)
        except PackError as err:
            if config.path is None:
                raise
            raise ConfigError(f"{config.path}: {err}") from None


def _as_dict(setting: Any) -> dict[str, Any]:
    return {"severity": setting} if isinstance(setting, str) else dict(setting or {})


def _merge(before: Any, after: Any) -> Any:
    """A later setting over an earlier one: params merge, severity replaces."""
    merged = _as_dict(before)
    new = _as_dict(after)
    params = {**merged.get("params", {}), **new.get("params", {})}
    merged.update(new)
    if params:
        merged["params"] = params
    return merged


def _matches(override: Override, spec: Path, config: Config) -> bool:
    try:
        relative = spec.resolve().relative_to(config.folder.resolve()).as_posix()
    except ValueError:
        relative = spec.as_posix()
    return any(fnmatch.fnmatch(relative, pattern) for pattern in override.files)

"""JSON Schema validation with messages a process owner understands.

jsonschema finds the errors; this module says them in plaint's words, with
the element they belong to, what was expected, and "did you mean" for
misspelt keys and values. ``additionalProperties`` errors point at the
offending key, not at its parent.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from plaint.core.findings import Hit
from plaint.core.model import did_you_mean

PathTuple = tuple[str | int, ...]

_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping (key: value pairs)", "null": "nothing (null)",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``plaint/schemas``."""
    text = resources.files("plaint.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def describe_place(path: PathTuple) -> tuple[str, str | None]:
    """A readable name for where a value sits, and the element id it belongs to."""
    if not path:
        return "the file", None
    head = path[0]
    if head in ("steps", "roles", "channels") and len(path) >= 2:
        element = str(path[1])
        noun = {"steps": "step", "roles": "role", "channels": "channel"}[head]
        rest = _dotted(path[2:])
        return (f"{noun} '{element}'" + (f", {rest}" if rest else "")), element
    if head == "waivers" and len(path) >= 2:
        rest = _dotted(path[2:])
        return (f"waiver #{int(path[1]) + 1}" + (f", {rest}" if rest else "")), None
    return _dotted(path), ("process" if head == "process" else None)


def _dotted(path: PathTuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(schema: dict[str, Any], root: dict[str, Any]) -> str | None:
    while "$ref" in schema and "description" not in schema:
        schema = _resolve(schema["$ref"], root)
    return schema.get("description")


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    node: Any = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def _property_schema(schema: dict[str, Any], name: str, root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _resolve(schema["$ref"], root)
    return schema.get("properties", {}).get(name, {})


def _message(err: ValidationError, root: dict[str, Any]) -> tuple[str, PathTuple, bool, str | None]:
    """(message, path, point-at-key, hint) for one error."""
    path: PathTuple = tuple(err.absolute_path)
    place, _ = describe_place(path)
    kind = err.validator
    value = err.instance
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "?"
        description = _describe(_property_schema(err.schema, missing, root), root)
        kind_note = ""
        if isinstance(value, dict) and "kind" in value and missing not in ("kind",):
            kind_note = f" (a {value['kind']} step needs it)"
        return (f"{place}: '{missing}' is missing{kind_note}.", path, False,
                f"Add '{missing}': {description}" if description else f"Add '{missing}'.")
    if kind == "enum":
        options = [str(o) for o in err.validator_value]
        suggestion = did_you_mean(str(value), options) if isinstance(value, str) else ""
        listing = ", ".join(options)
        return (f"{place}: {_shown(value)} is not one of the allowed values.{suggestion}", path,
                False, f"Use one of: {listing}.")
    if kind == "const":
        return (f"{place}: expected {_shown(err.validator_value)}, found {_shown(value)}.", path,
                False, _describe(err.schema, root))
    if kind == "type":
        wanted = err.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
        return (f"{place}: expected {names}, found {_TYPE_NAMES[_type_of(value)]} {_shown(value)}.",
                path, False, _describe(err.schema, root))
    if kind == "pattern":
        description = _describe(err.schema, root)
        return (f"{place}: {_shown(value)} is not in the expected form.", path, False,
                description or f"It must match {err.validator_value}.")
    if kind == "propertyNames":
        bad = err.instance if isinstance(err.instance, str) else "?"
        return (f"{place}: '{bad}' is not a valid id.", path, True,
                "Ids are lowercase words joined by hyphens, e.g. 'complaints-officer'.")
    if kind in ("anyOf", "oneOf"):
        description = _describe(err.schema, root)
        return (f"{place}: {_shown(value)} is not valid here.", path, False, description)
    if kind == "uniqueItems":
        return (f"{place}: the list names the same item more than once.", path, False,
                "Remove the repeated item.")
    if kind in ("minItems", "minProperties", "minLength"):
        return (f"{place}: must not be empty.", path, False, _describe(err.schema, root))
    if kind == "minimum":
        return (f"{place}: {value} is too small (at least {err.validator_value}).", path, False,
                None)
    return (f"{place}: {err.message}", path, False, None)


def _is_key_error(err: ValidationError, data: Any) -> bool:
    if "propertyNames" not in err.relative_schema_path and err.validator != "propertyNames":
        return False
    return isinstance(err.instance, str)


def validate(data: Any, schema_name: str = "process-spec-v1.json") -> list[Hit]:
    """Schema errors as hits, one per problem, in document order."""
    root = load_schema(schema_name)
    hits = []
    for err in validator(schema_name).iter_errors(data):
        if _is_key_error(err, data):
            # propertyNames: the instance is the key itself; point at it.
            parent = tuple(err.absolute_path)
            place, _ = describe_place(parent)
            name = err.instance
            hits.append(Hit(
                f"{place}: '{name}' is not a valid id.", (*parent, name), name, key=True,
                hint="Ids are lowercase words joined by hyphens, e.g. 'complaints-officer'.",
            ))
            continue
        if err.validator == "additionalProperties":
            allowed = sorted(err.schema.get("properties", {}))
            place, element = describe_place(tuple(err.absolute_path))
            for key in err.instance:
                if key in err.schema.get("properties", {}) or key.startswith("x-"):
                    continue
                hits.append(Hit(
                    f"{place}: unknown key '{key}'.{did_you_mean(key, allowed)}",
                    (*tuple(err.absolute_path), key), element, key=True,
                    hint=f"Allowed keys here: {', '.join(allowed)}." if allowed else None,
                ))
            continue
        message, path, key, hint = _message(err, root)
        _, element = describe_place(path)
        hits.append(Hit(message, path, element, key=key, hint=hint))
    return hits

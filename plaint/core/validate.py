"""JSON Schema validation with messages a process owner understands.

jsonschema finds the errors; this module says them in plaint's words, with
the element they belong to, what was expected, and "did you mean" for
misspelt keys and values. ``additionalProperties`` errors point at the
offending key, not at its parent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from plaint.core.findings import Hit
from plaint.core.model import did_you_mean

if TYPE_CHECKING:
    import jsonschema
    from jsonschema.exceptions import ValidationError

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


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with local ``#/$defs/...`` references replaced by their targets.

    Our schemas have no recursive references, and resolving references is a
    large share of validation time, so they are resolved once here.
    """
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _inline_refs(value, defs) for key, value in node.items() if key != "$defs"}
    ref = out.pop("$ref", None)
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {**target, **out} if out else target
    if ref is not None:
        out["$ref"] = ref
    return out


@cache
def validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema  # only needed to find and word errors: a valid spec never imports it

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(_inline_refs(schema, schema.get("$defs", {})))


# -- a compiled validity check -------------------------------------------------------------------
#
# jsonschema's iter_errors builds a validator object per subschema it descends into,
# which made validation most of the cost of checking a valid spec. Almost every spec
# is valid, so the schema is compiled once into plain closures that answer only
# "valid or not"; jsonschema still finds and words the errors whenever that answer
# is "not valid", so every message is unchanged. The compiled check may only ever be
# stricter than jsonschema, never looser: it follows jsonschema's own semantics
# (its type checker, ``equal``, ``uniq`` and ``re.search``), and a schema using any
# keyword it does not know is not compiled at all.

Check = Callable[[Any], bool]
_ANNOTATIONS = {"description", "examples", "title", "$schema", "$id", "$comment", "default",
                "$defs", "deprecated", "readOnly", "writeOnly"}
# The drafts whose keywords _compile follows; no $schema means the newest, as in jsonschema.
_DRAFTS = {None, "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
           "https://json-schema.org/draft/2019-09/schema", "https://json-schema.org/draft/2020-12/schema"}
_SCALARS = (str, int, float, bool, type(None))


class _Unsupported(Exception):
    """A keyword the compiled check does not implement: use jsonschema alone."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same(one: Any, two: Any) -> bool:
    """jsonschema's ``equal`` for scalars (true is not 1); other values never match here,
    which only sends them on to jsonschema."""
    if type(one) is type(two) and isinstance(one, _SCALARS):
        return one == two
    return _is_number(one) and _is_number(two) and one == two


def _unique_texts(items: list) -> bool:
    """uniqueItems for a list of strings; any other list goes on to jsonschema."""
    return all(isinstance(i, str) for i in items) and len(set(items)) == len(items)


# jsonschema's draft 6+ type checker, as plain functions.
_TYPES: dict[str, Check] = {
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "null": lambda v: v is None,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "string": lambda v: isinstance(v, str),
}


def _compile(schema: Any) -> Check:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, arg in schema.items():
        if keyword in _ANNOTATIONS or keyword in ("then", "else", "patternProperties"):
            continue  # then/else belong to "if"; patternProperties to the object check below
        if keyword == "type":
            names = arg if isinstance(arg, list) else [arg]
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else lambda v, t=tests: any(f(v) for f in t))
        elif keyword == "enum":
            options = list(arg)
            strings = frozenset(o for o in options if isinstance(o, str))

            def enum(v: Any, options: list = options, strings: frozenset = strings) -> bool:
                if isinstance(v, str):  # equal() compares strings with ==
                    return v in strings
                return any(_same(v, o) for o in options)
            checks.append(enum)
        elif keyword == "const":
            if isinstance(arg, str):  # equal() compares anything with a string by ==
                checks.append(lambda v, c=arg: v == c)
            else:
                checks.append(lambda v, c=arg: _same(v, c))
        elif keyword == "pattern":
            checks.append(lambda v, rx=re.compile(arg): not isinstance(v, str) or rx.search(v) is not None)
        elif keyword in _SIZE_BOUNDS:
            kind, low = _SIZE_BOUNDS[keyword]
            checks.append(_size_bound(kind, arg, low))
        elif keyword in ("minimum", "maximum"):
            low = keyword == "minimum"
            checks.append(lambda v, n=arg, low=low: not _is_number(v) or (v >= n if low else v <= n))
        elif keyword == "not":
            negated = _compile(arg)
            checks.append(lambda v, f=negated: not f(v))
        elif keyword == "uniqueItems":
            if arg:
                checks.append(lambda v: not isinstance(v, list) or _unique_texts(v))
        elif keyword == "required":
            checks.append(lambda v, names=frozenset(arg): not isinstance(v, dict) or v.keys() >= names)
        elif keyword == "items":
            if isinstance(arg, list):
                raise _Unsupported("items as a list")
            checks.append(_every_item(_compile(arg)))
        elif keyword == "propertyNames":
            name = _compile(arg)
            checks.append(lambda v, f=name: not isinstance(v, dict) or all(f(k) for k in v))
        elif keyword in ("allOf", "anyOf", "oneOf"):
            subs = [_compile(sub) for sub in arg]
            if keyword == "allOf":
                checks.append(_all_of(subs))
            elif keyword == "anyOf":
                checks.append(_any_of(subs))
            else:
                checks.append(lambda v, fs=subs: sum(1 for f in fs if f(v)) == 1)
        elif keyword == "if":
            test = _compile(arg)
            then = _compile(schema.get("then", True))
            other = _compile(schema.get("else", True))
            checks.append(lambda v, t=test, a=then, b=other: a(v) if t(v) else b(v))
        elif keyword in ("properties", "additionalProperties"):
            continue  # the object check below
        else:
            raise _Unsupported(keyword)
    if any(k in schema for k in ("properties", "patternProperties", "additionalProperties")):
        checks.append(_object_check(schema))
    return _all_of(checks)


# keyword -> (the type it bounds the size of, lower bound or not)
_SIZE_BOUNDS: dict[str, tuple[type, bool]] = {
    "minLength": (str, True), "maxLength": (str, False), "minItems": (list, True),
    "maxItems": (list, False), "minProperties": (dict, True), "maxProperties": (dict, False),
}


def _size_bound(kind: type, size: int, low: bool) -> Check:
    if low:
        return lambda v: not isinstance(v, kind) or len(v) >= size
    return lambda v: not isinstance(v, kind) or len(v) <= size


# Plain loops and nested closures: a check runs hundreds of thousands of times per
# thousand specs, and all() over a generator costs a generator object per call.
def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return lambda value: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)
    chain = tuple(checks)

    def check(value: Any) -> bool:
        for one in chain:
            if not one(value):
                return False
        return True
    return check


def _any_of(checks: list[Check]) -> Check:
    chain = tuple(checks)

    def check(value: Any) -> bool:
        for one in chain:
            if one(value):
                return True
        return False
    return check


def _every_item(item: Check) -> Check:
    def check(value: Any) -> bool:
        if isinstance(value, list):
            for element in value:
                if not item(element):
                    return False
        return True
    return check


def _object_check(schema: dict[str, Any]) -> Check:
    """properties, patternProperties and additionalProperties in one pass over the keys."""
    properties = {name: _compile(sub) for name, sub in schema.get("properties", {}).items()}
    patterns = [(re.compile(p), _compile(sub)) for p, sub in schema.get("patternProperties", {}).items()]
    # jsonschema's find_additional_properties: one search for all the patterns joined.
    joined = re.compile("|".join(schema.get("patternProperties", {}))) if patterns else None
    extra = _compile(schema["additionalProperties"]) if "additionalProperties" in schema else None

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
        for key, item in value.items():
            own = properties.get(key)
            if own is not None and not own(item):
                return False
            for rx, sub in patterns:
                if rx.search(key) and not sub(item):
                    return False
            if extra is not None and own is None and not (joined and joined.search(key)) \
                    and not extra(item):
                return False
        return True
    return check


def compile_check(schema: dict[str, Any]) -> Check | None:
    """A fast "valid or not" check for ``schema``, or None where it cannot be compiled."""
    if schema.get("$schema") not in _DRAFTS:
        return None
    try:
        return _compile(_inline_refs(schema, schema.get("$defs", {})))
    except (_Unsupported, KeyError, TypeError, re.error):
        return None


@cache
def compiled(name: str) -> Check | None:
    """The compiled validity check for a shipped schema, or None where it cannot be compiled."""
    return compile_check(load_schema(name))


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
    """``('next', 0, 'max')`` as ``next #1, max``: keys joined by dots, list items counted from 1."""
    out = ""
    after_item = False
    for part in path:
        if isinstance(part, int):
            out += f" #{part + 1}"
            after_item = True
        else:
            out += (", " if after_item else ".") + str(part) if out else str(part)
            after_item = False
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


_INLINED_DEFS: dict[tuple[int, str], dict[str, Any] | None] = {}


def _definition(root: dict[str, Any], name: str) -> dict[str, Any] | None:
    """``$defs/<name>`` as the validator sees it: with its references inlined (computed once)."""
    key = (id(root), name)
    if key not in _INLINED_DEFS:
        defs = root.get("$defs", {})
        _INLINED_DEFS[key] = _inline_refs(defs[name], defs) if name in defs else None
    return _INLINED_DEFS[key]


def _is_definition(schema: Any, root: dict[str, Any], name: str) -> bool:
    """True when ``schema`` is (or is a plain reference to) ``$defs/<name>`` of ``root``."""
    target = _definition(root, name)
    if target is None or not isinstance(schema, dict):
        return False
    return schema == target or schema.get("$ref") == f"#/$defs/{name}"


_ID_RX = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_DURATION_EXAMPLE = "write a number and a unit, such as '3 working days'"
_NEXT_FORMS = ("write a step id (next: close), a list of branches each with 'to' and 'when' "
               "(next: [{to: close, when: otherwise}]), or {parallel: [step-a, step-b]}")


def _id_like(value: str) -> str | None:
    """A valid id close to ``value`` ('Review_Stage' -> 'review-stage'), if there is one."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", value)
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text if _ID_RX.match(text) and text != value else None


def _id_message(value: Any) -> str:
    better = _id_like(value) if isinstance(value, str) else None
    example = f"'{better}'" if better else "'complaints-officer'"
    return f"ids are lowercase words joined by hyphens, such as {example}"


def _is_next_form(err: ValidationError, root: dict[str, Any]) -> bool:
    """An error about the shape of a ``next`` value (not about what is inside it)."""
    next_def = _definition(root, "next")
    if next_def is None:
        return False
    shapes = [next_def, *(branch.get("then") for branch in next_def.get("allOf", []))]
    return err.schema in shapes and err.validator in (
        "type", "required", "additionalProperties", "minItems", "maxItems")


def _branch_errors(err: ValidationError) -> list[ValidationError] | None:
    """For anyOf/oneOf: the errors of the one branch that fits the value's type, if only one does."""
    by_branch: dict[Any, list[ValidationError]] = {}
    for sub in err.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    fitting = [
        errors for errors in by_branch.values()
        if not any(e.validator == "type" and list(e.absolute_path) == list(err.absolute_path)
                   for e in errors)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _hits(err: ValidationError, root: dict[str, Any], done: set) -> list[Hit]:
    """Hits for one jsonschema error, in plaint's words."""
    path: PathTuple = tuple(err.absolute_path)
    place, element = describe_place(path)
    kind = err.validator
    value = err.instance

    def hit(message: str, at: PathTuple = path, *, key: bool = False, hint: str | None = None) -> list[Hit]:
        return [Hit(message, at, describe_place(at)[1] if at != path else element, key=key, hint=hint)]

    if _is_next_form(err, root):
        if (path, "next-form") in done:
            return []
        done.add((path, "next-form"))
        if isinstance(value, dict):
            found = "{" + ", ".join(map(str, value)) + ": ...}" if value else "an empty mapping"
        else:
            found = _shown(value)
        return hit(f"{place}: {found} is not a form of next: {_NEXT_FORMS}.",
                   hint=_describe(_definition(root, "next") or {}, root))
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "?"
        description = _describe(_property_schema(err.schema, missing, root), root)
        if description is None:  # a required in an if/then: the property is defined beside it
            found = {d for definition in root.get("$defs", {}).values() if isinstance(definition, dict)
                     if (d := _describe(definition.get("properties", {}).get(missing, {}), root))}
            description = found.pop() if len(found) == 1 else None
        kind_note = ""
        if isinstance(value, dict) and "kind" in value and missing not in ("kind",):
            kind_note = f" (a {value['kind']} step needs it)"
        said = f"{place}: '{missing}' is missing" if path else f"'{missing}' is missing at the top level"
        return hit(f"{said}{kind_note}.", key=bool(path),
                   hint=f"Add '{missing}': {description}" if description else f"Add '{missing}'.")
    if kind == "enum":
        options = [str(o) for o in err.validator_value]
        suggestion = did_you_mean(str(value), options) if isinstance(value, str) else ""
        listing = ", ".join(options)
        return hit(f"{place}: {_shown(value)} is not one of the allowed values.{suggestion}",
                   hint=f"Use one of: {listing}.")
    if kind == "const":
        if path == ("plaint",):
            return hit(f"plaint: format version {_shown(value)} is not known; this version of plaint "
                       f"reads format version {_shown(err.validator_value)}.",
                       hint=f"Write 'plaint: {_shown(err.validator_value)}' on the first line.")
        return hit(f"{place}: expected {_shown(err.validator_value)}, found {_shown(value)}.",
                   hint=_describe(err.schema, root))
    if kind == "type":
        wanted = err.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
        if value is None:  # "nothing (null) null" would say it twice
            found = "an empty document (no keys, no values)" if not path else "nothing (null)"
        else:
            found = f"{_TYPE_NAMES[_type_of(value)]} {_shown(value)}"
        message = f"{place}: expected {names}, found {found}"
        if wanted == ["boolean"] and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
            message += " (write true or false: plaint reads yes, no, on and off as text)"
        elif wanted == ["string"] and isinstance(value, (int, float)) and not isinstance(value, bool):
            message += f" (put it in quotes if it is text: '{value}')"
        return hit(message + ".", hint=_describe(err.schema, root))
    if kind == "pattern":
        if _is_definition(err.schema, root, "duration"):
            return hit(f"{place}: {_shown(value)} is not a duration: {_DURATION_EXAMPLE}.",
                       hint=_describe(err.schema, root))
        if _is_definition(err.schema, root, "date"):
            return hit(f"{place}: {_shown(value)} is not a date: write it as YYYY-MM-DD, such as "
                       "'2025-03-31'.")
        if _is_definition(err.schema, root, "id") or err.validator_value == _ID_RX.pattern:
            return hit(f"{place}: {_shown(value)} is not a valid id: {_id_message(value)}.")
        description = _describe(err.schema, root)
        return hit(f"{place}: {_shown(value)} is not in the expected form.",
                   hint=description or f"It must match {err.validator_value}.")
    if kind in ("anyOf", "oneOf"):
        branches = err.validator_value if isinstance(err.validator_value, list) else []
        duration = any(_is_definition(b, root, "duration") for b in branches)
        choices = [o for b in branches for o in b.get("enum", ())]
        if duration and not isinstance(value, dict):
            if choices:
                listing = ", ".join(map(str, choices[:-1])) + f" or {choices[-1]}"
                suggestion = did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
                return hit(f"{place}: {_shown(value)} is not a frequency: write {listing}, or a "
                           f"duration such as '2 weeks'.{suggestion}", hint=_describe(err.schema, root))
            return hit(f"{place}: {_shown(value)} is not a duration: {_DURATION_EXAMPLE}.",
                       hint=_describe(err.schema, root))
        fitting = _branch_errors(err)
        if fitting:
            return [h for sub in fitting for h in _hits(sub, root, done)]
        description = _describe(err.schema, root)
        return hit(f"{place}: {_shown(value)} is not valid here"
                   + (f": {description[0].lower()}{description[1:]}" if description else "."),
                   hint=description)
    if kind == "uniqueItems" and isinstance(value, list):
        for index, item in enumerate(value):
            if item in value[:index]:
                return hit(f"{place}: {_shown(item)} is listed more than once.", (*path, index),
                           hint="Remove the repeated item.")
    if kind in ("minItems", "minProperties", "minLength"):
        least = err.validator_value
        if least > 1:
            noun = "items" if kind == "minItems" else ("entries" if kind == "minProperties" else "characters")
            return hit(f"{place}: needs at least {least} {noun}, found {len(value)}.",
                       hint=_describe(err.schema, root))
        return hit(f"{place}: must not be empty.", hint=_describe(err.schema, root))
    if kind == "minimum":
        return hit(f"{place}: {value} is too small; the smallest allowed is {err.validator_value}.",
                   hint=_describe(err.schema, root))
    if kind == "maximum":
        return hit(f"{place}: {value} is too large; the largest allowed is {err.validator_value}.",
                   hint=_describe(err.schema, root))
    if kind == "additionalProperties" and isinstance(value, dict):
        properties = err.schema.get("properties", {})
        allowed = sorted(properties)
        hits = []
        # x- keys are only skipped where the schema itself lets them through.
        patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
        for name in value:
            if name in properties or any(p.search(name) for p in patterns):
                continue
            where = "at the top level" if not path else f"in {place}"
            hits.append(Hit(
                f"unknown key '{name}' {where}.{did_you_mean(name, allowed)}",
                (*path, name), element, key=True,
                hint=((f"Allowed keys here: {', '.join(allowed)}." if allowed else "")
                      + (" Your own notes can go under keys that start with 'x-'."
                         if err.schema.get("patternProperties") else "")).strip() or None,
            ))
        return hits
    return hit(f"{place}: {err.message}")


def _is_key_error(err: ValidationError, data: Any) -> bool:
    if "propertyNames" not in err.relative_schema_path and err.validator != "propertyNames":
        return False
    return isinstance(err.instance, str)


_ID_NOUNS = {"steps": "step id", "roles": "role id", "channels": "channel id"}


def validate(data: Any, schema_name: str = "process-spec-v1.json") -> list[Hit]:
    """Schema errors as hits, one per problem (several jsonschema errors about one
    ``next`` value become one hit)."""
    fast = compiled(schema_name)
    if fast is not None and fast(data):
        return []  # valid: nothing for jsonschema to find
    root = load_schema(schema_name)
    hits: list[Hit] = []
    done: set = set()
    for err in validator(schema_name).iter_errors(data):
        if _is_key_error(err, data):
            # propertyNames: the instance is the key itself; point at it.
            parent = tuple(err.absolute_path)
            name = err.instance
            noun = _ID_NOUNS.get(str(parent[-1]) if parent else "", "id")
            if len(parent) > 1 or noun == "id":
                noun = f"{describe_place(parent)[0]}: id"
            hits.append(Hit(
                f"{noun} '{name}' is not valid: {_id_message(name)}.", (*parent, name), name,
                key=True, hint="Rename it, and every place that names it.",
            ))
            continue
        hits.extend(_hits(err, root, done))
    return hits

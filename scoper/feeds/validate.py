"""``scoper advisories validate``: OSV records against the official OSV schema, scoper's
extension schema and the loader's own rules, each problem as a place and a sentence.

OSV's id pattern wants a known database prefix (or ``x_``): an id without one is a
*note*, not an error, since a local catalog (scoper's own, ``litellm-2025``) keeps
short slugs and other OSV tools only need the ``x_`` when they merge databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from scoper.errors import AdvisoryError
from scoper.feeds import import_registry
from scoper.feeds.osv import is_origin_file, parse_record
from scoper.limits import Limits

SCHEMAS = ("osv-schema.json", "advisory-extension.schema.json")


@dataclass(slots=True)
class Validation:
    """Problems (invalid: exit 3) and notes (valid) of the records in some files."""

    records: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@cache
def validator(name: str) -> Draft202012Validator:
    """The vendored schema ``name`` (scoper/feeds/schemas/), with format checks."""
    text = resources.files("scoper.feeds").joinpath("schemas", name).read_text("utf-8")
    schema = json.loads(text)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate(paths: Sequence[Path], limits: Limits | None = None) -> Validation:
    """Validate every record in ``paths`` (files, trees, zips; JSON or PYSEC YAML)."""
    found = Validation()
    for path in paths:
        try:
            for member in import_registry.members(path, limits):
                _record(member.display, member, limits, found)
        except AdvisoryError as exc:
            found.problems.append(str(exc))
    return found


def _record(display: str, member: Any, limits: Limits | None, found: Validation) -> None:
    try:
        data = import_registry.decode(member, limits)
    except AdvisoryError as exc:
        found.problems.append(str(exc))
        return
    if is_origin_file(member, data):
        found.notes.append(f"{display}: an ossf origin record (empty id): not an advisory yet")
        return
    found.records += 1
    before = len(found.problems)
    for name in SCHEMAS:
        for error in validator(name).iter_errors(data):
            line = f"{display}: {place(error.absolute_path)}: {sentence(error)}"
            (found.notes if _local_id(error) else found.problems).append(line)
    if len(found.problems) == before:  # schemas pass: the loader's rules (ordering, ...)
        try:
            parse_record(data, display)
        except AdvisoryError as exc:
            found.problems.append(str(exc))


def place(path: Iterator[Any] | Any) -> str:
    """A JSON path as scoper writes places: ``affected[0].ranges[1].events``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}" if text else str(part)
        else:
            text += f"[{json.dumps(part)}]"
    return text or "(the record)"


def sentence(error: ValidationError) -> str:
    """A plain sentence for one schema error."""
    kind, value = error.validator, error.instance
    detail: Any = error.validator_value
    if _local_id(error):
        return (
            f"{value!r} has no OSV database prefix (GHSA-, PYSEC-, MAL-, ... or x_ for a "
            "local database): fine for a local catalog, other OSV tools may want x_"
        )
    if kind == "required":
        missing = [k for k in detail if isinstance(value, dict) and k not in value]
        return f"a required field is missing: {', '.join(map(repr, missing))}"
    if kind == "type":
        return f"should be {_article(detail)}, but is {_json_type(value)}"
    if kind == "enum":
        return f"{value!r} is not one of the allowed values: {', '.join(map(repr, detail))}"
    if kind == "additionalProperties" or kind == "unevaluatedProperties":
        return f"unknown field(s) here (a typo?): {error.message}"
    if kind == "pattern" and error.absolute_path and list(error.absolute_path)[-1] in _TIMES:
        return f"{value!r} is not an RFC 3339 time in UTC like 2026-03-24T10:39:00Z"
    if kind == "pattern":
        return f"{value!r} does not have the expected form (pattern {detail})"
    if kind == "format":
        return f"{value!r} is not a valid {detail}"
    if kind in ("anyOf", "oneOf", "allOf", "not", "if", "then"):
        reasons = sorted({sentence(e) for e in error.context or ()})
        return "does not match any allowed shape" + (
            f": {'; '.join(reasons[:3])}" if reasons else ""
        )
    return error.message


_TIMES = {"modified", "published", "withdrawn", "start", "end", "conservative_end"}


def _local_id(error: ValidationError) -> bool:
    return list(error.absolute_path) == ["id"] and error.validator == "pattern"


def _article(detail: Any) -> str:
    kinds = detail if isinstance(detail, list) else [detail]
    return " or ".join(f"an {k}" if k[0] in "aeiou" else f"a {k}" for k in kinds)


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    for kind, label in names.items():
        if isinstance(value, kind):
            return label
    return "null" if value is None else "a number"

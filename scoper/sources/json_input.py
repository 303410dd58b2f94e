"""JSON inputs shared by the audit-trail parsers: JSON Lines or one document, with lines.

A file is read as one JSON document when it parses as one (a pretty-printed
event, ``{"Records": [...]}``, ``{"items": [...]}``, a bare array); the elements
of the named array keep the line where each starts. Otherwise it is JSON Lines:
each non-empty line one object, broken lines reported as ``(line, reason)``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.sources.reading import read_text

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[\s,]*")
_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:?\d\d)?$")


@dataclass(slots=True)
class JsonItems:
    """The objects of a file with their 1-based lines, and lines that were not usable."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    document: bool = False


def read_json_items(path: Path, display: str, array_keys: tuple[str, ...] = ()) -> JsonItems:
    """Objects from a JSON document (unwrapping ``array_keys``) or from JSON Lines."""
    text = read_text(path, display)
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _json_lines(text, display, exc)
    result = JsonItems(document=True)
    offset = len(text) - len(text.lstrip())
    key = next(
        (k for k in array_keys if isinstance(whole, dict) and isinstance(whole.get(k), list)), None
    )
    if isinstance(whole, list) or key:
        elements = whole if isinstance(whole, list) else whole[key]
        if "\n" not in text.strip():  # one line (CloudTrail): every element is on line 1
            result.items = [(1, e) for e in elements if isinstance(e, dict)]
            result.bad = [(1, "expected an object") for e in elements if not isinstance(e, dict)]
            return result
        try:
            _array_items(text, text.index("[", text.find(f'"{key}"') if key else offset), result)
        except ValueError:
            result.items.clear()
            result.bad.clear()
        if len(result.items) + len(result.bad) != len(elements):  # key text found elsewhere
            result.items = [(1, e) for e in elements if isinstance(e, dict)]
            result.bad = [(1, "expected an object") for e in elements if not isinstance(e, dict)]
    elif isinstance(whole, dict):
        result.items.append((text.count("\n", 0, offset) + 1, whole))
    else:
        raise InputError(display, "expected a JSON object or array", "line 1")
    return result


def _array_items(text: str, start: int, result: JsonItems) -> None:
    position = start + 1
    line, counted = 1, 0  # newlines are counted from the previous element, not from 0
    while True:
        position = _WS.match(text, position).end()  # type: ignore[union-attr]
        if position >= len(text) or text[position] == "]":
            return
        value, end = _DECODER.raw_decode(text, position)
        line += text.count("\n", counted, position)
        counted = position
        if isinstance(value, dict):
            result.items.append((line, value))
        else:
            result.bad.append((line, f"expected an object, got {type(value).__name__}"))
        position = end


def _json_lines(text: str, display: str, whole_error: BaseException) -> JsonItems:
    result = JsonItems()
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            result.bad.append((number, f"invalid JSON: {getattr(exc, 'msg', exc)}"))
            continue
        if isinstance(value, dict):
            result.items.append((number, value))
        else:
            result.bad.append((number, f"expected a JSON object, got {type(value).__name__}"))
    if not result.items:
        place = None
        if isinstance(whole_error, json.JSONDecodeError):
            place = f"line {whole_error.lineno} column {whole_error.colno}"
        raise InputError(display, "no JSON object could be read", place)
    return result


def dig(value: Any, *path: str) -> Any:
    """``value[path[0]][path[1]]...`` or None when any step is missing or not an object."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def obj(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def string(value: Any) -> str | None:
    """A non-empty string (numbers are turned into strings), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def rfc3339(value: Any) -> datetime | None:
    """A timezone-aware UTC datetime from an RFC 3339 string (ns cut to µs), else None."""
    if not isinstance(value, str):
        return None
    match = _RFC3339.match(value.strip())
    if match is None:
        return None
    day, clock, frac, zone = match.groups()
    zone = "+00:00" if zone in (None, "Z", "z") else zone
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}.{(frac or '0')[:6].ljust(6, '0')}{zone}")
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def epoch(value: Any) -> datetime | None:
    """A UTC datetime from epoch seconds (number or numeric string), else None."""
    text = string(value)
    try:
        seconds = float(text) if text else None
        return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
    except (ValueError, OverflowError, OSError):
        return None

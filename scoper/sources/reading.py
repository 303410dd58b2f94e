"""Reading input files: transparent gzip, encodings with a BOM, precise errors, JSON items.

A JSON file is read as one document when it parses as one (a pretty-printed event,
``{"Records": [...]}``, ``{"items": [...]}``, a bare array); the elements of the named
array keep the line where each starts. Otherwise it is JSON Lines: each non-empty line
one object, broken lines reported as ``(line, reason)``.
"""

from __future__ import annotations

import gzip
import json
import re
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.limits import current, mib
from scoper.model import Origin, Skipped
from scoper.sources.streams import GZIP_MAGIC, Lines, corrupt_gzip, read_limited, split_lines
from scoper.sources.wrappers import unwrap_cri, unwrap_cri_head
from scoper.sources.wrappers_cloudwatch import (
    Unwrapped,
    base64_line,
    is_envelope,
    looks_enveloped,
    unwrap_head,
    unwrap_into,
)

HEAD_BYTES = 4096
ENVELOPE_HEAD = 1 << 20  # an enveloped head is read this far to see whole log events
_DECODER = json.JSONDecoder()
_WS = re.compile(r"[\s,]*")


def is_gzip(path: Path) -> bool:
    """True if the file starts with the gzip magic bytes."""
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def logical_name(path: Path) -> str:
    """The file name without a trailing ``.gz`` (what sniffers look at)."""
    name = path.name
    return name[:-3] if name.endswith(".gz") else name


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """The file's bytes, gunzipped when it is gzip, within :mod:`scoper.limits`."""
    return read_limited(path, display or str(path))


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes after decompression, as UTF-8 without a byte-order mark
    (UTF-16 is transcoded, so sniffers see text); empty on an unreadable file. Wrappers
    are taken off: CRI prefixes, CloudWatch Logs envelopes (their events, one a line).

    A gzip that cannot be decompressed raises "corrupt gzip" (not "unrecognised").
    """
    head = _raw_head(path, size)
    if size < 64 or not looks_enveloped(head):
        return head
    return unwrap_head(_raw_head(path, max(size, ENVELOPE_HEAD)))


def _raw_head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            gzipped = handle.read(2) == GZIP_MAGIC
            handle.seek(0)
            if not gzipped:
                return unwrap_cri_head(_transcoded(handle.read(size), handle.read, size))
            with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
                return unwrap_cri_head(_transcoded(unpacked.read(size), unpacked.read, size))
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise corrupt_gzip(str(path), exc) from exc
    except OSError:
        return b""


def _transcoded(head: bytes, more: Callable[[int], bytes], size: int) -> bytes:
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head += more(size)  # as many characters as a UTF-8 head
        return head.decode("utf-16", "ignore").encode("utf-8")
    return head


def decode(data: bytes, display: str) -> str:
    """Decode text honouring UTF-8/UTF-16 byte-order marks."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(display, f"not valid {encoding} text", f"line {line}") from exc


def read_text(path: Path, display: str | None = None) -> str:
    """The file decoded as text (gzip and BOMs handled)."""
    shown = display or str(path)
    return decode(read_bytes(path, shown), shown)


def parse_json(text: str, display: str) -> Any:
    """Parse JSON text, naming line and column on a syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno} column {exc.colno}"
        raise InputError(display, f"invalid JSON: {exc.msg}", place) from exc
    except RecursionError as exc:
        raise InputError(display, "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer literal too long to convert
        raise InputError(display, f"invalid JSON: {exc}") from exc


def load_json(path: Path, display: str | None = None) -> Any:
    """Read and parse a JSON document (gzip and BOMs handled)."""
    shown = display or str(path)
    return parse_json(read_text(path, shown), shown)


def load_toml(path: Path, display: str | None = None) -> dict[str, Any]:
    """Parse a TOML document, naming the place on a syntax error."""
    shown = display or str(path)
    text = read_text(path, shown)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(shown, f"invalid TOML: {exc}") from exc
    except RecursionError as exc:
        raise InputError(shown, "TOML nested too deeply") from exc


def find_line(text: str, needle: str, start: int = 0) -> int | None:
    """1-based line of the first occurrence of ``needle`` at or after char ``start``."""
    index = text.find(needle, start)
    if index < 0:
        return None
    return text.count("\n", 0, index) + 1


def json_head(head: bytes) -> bytes:
    """The sniff head without BOM and leading whitespace."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()


@dataclass(slots=True)
class JsonItems:
    """The objects of a file with their 1-based lines, and lines that were not usable."""

    items: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    document: bool = False
    notes: list[tuple[int, str]] = field(default_factory=list)  # lost nothing

    def skips(self, display: str) -> list[Skipped]:
        """The unusable lines (data lost) and the notes (nothing lost) as skip entries."""
        lost = [Skipped(Origin(display, n), why) for n, why in self.bad]
        return lost + [Skipped(Origin(display, n), why, True) for n, why in self.notes]


def read_json_items(path: Path, display: str, array_keys: tuple[str, ...] = ()) -> JsonItems:
    """Objects from a JSON document (unwrapping ``array_keys``) or from JSON Lines.

    In JSON Lines, a line that is too long or not valid UTF-8 is skipped with its number.
    """
    data = read_bytes(path, display)
    try:
        text = decode(data, display)
    except InputError as exc:
        return _json_lines(split_lines(data), display, exc)
    text = unwrap_cri(text) or text  # JSON lines shipped from a pod (CRI log prefix)
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _json_lines(Lines(text), display, exc)
    del data
    if isinstance(whole, dict) and is_envelope(whole):
        return _envelope(text, whole)
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


def _envelope(text: str, whole: dict[str, Any]) -> JsonItems:
    """The log events of a CloudWatch envelope document, each on its element's line."""
    key = next(k for k in ("logEvents", "events", "Records", "records", "") if k in whole or not k)
    found = JsonItems()
    if key and "\n" in text.strip():
        try:
            _array_items(text, text.index("[", text.find(f'"{key}"')), found)
        except ValueError:
            found = JsonItems()
    starts = [n for n, _ in found.items] if len(found.items) == len(whole.get(key) or ()) else []
    out = Unwrapped()
    first = text.count("\n", 0, len(text) - len(text.lstrip())) + 1
    unwrap_into(whole, first, out, (lambda i: starts[i]) if starts else None)
    return JsonItems(out.items, sorted(out.bad), True, out.notes)


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


def _json_lines(lines: Lines, display: str, whole_error: BaseException) -> JsonItems:
    result = JsonItems(bad=list(lines.bad))
    max_line = current().max_line
    for number, raw in enumerate(lines.text.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > max_line:
            result.bad.append((number, f"line longer than {mib(max_line)}, skipped"))
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError) as exc:
            if base64_line(line, number, Unwrapped(result.items, result.bad, result.notes)):
                continue
            result.bad.append((number, f"invalid JSON: {getattr(exc, 'msg', exc)}"))
            continue
        if isinstance(value, dict) and is_envelope(value):
            wrapped = Unwrapped(result.items, result.bad, result.notes)
            unwrap_into(value, number, wrapped, None)
        elif isinstance(value, dict):
            result.items.append((number, value))
        else:
            result.bad.append((number, f"expected a JSON object, got {type(value).__name__}"))
    result.bad.sort()
    if not result.items and not result.notes:
        place = whole_error.place if isinstance(whole_error, InputError) else None
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


def epoch(value: Any) -> datetime | None:
    """A UTC datetime from epoch seconds (number or numeric string), else None."""
    text = string(value)
    try:
        seconds = float(text) if text else None
        return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None
    except (ValueError, OverflowError, OSError):
        return None

"""Shared by the lockfile readers: loading with places, entry lines, hashes, records.

TOML lockfiles list packages as an array of tables (``[[package]]``); an entry's
line is the line of its ``name = ...`` key (where a reader looks for it), or its
header when the name is written differently. JSON lockfiles key packages by name
or path; an entry's line is the line of its ``"key": {``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from scoper.errors import InputError
from scoper.model import Artifact, Origin, Package, Records, Skipped
from scoper.names import canonical
from scoper.sources.audit.commands.redaction import redact_url
from scoper.sources.base import ParseContext
from scoper.sources.reading import logical_name, read_text

HEX_HASH_RE = re.compile(r"^([A-Za-z0-9_-]{2,20})[:=]([0-9A-Fa-f]{8,256})$")
SRI_RE = re.compile(r"^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$")
COMMIT_RE = re.compile(r"^[0-9a-fA-F]{7,64}$")
TOML_PLACE_RE = re.compile(r"\(at line (\d+), column \d+\)")
JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')
NEWLINE_RE = re.compile("\n")
TABLE_RE = re.compile(r"^\[\[?[^\[\],=]+\]\]?\s*(#.*)?$")


def load_toml_text(path: Path, display: str) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML document; InputError naming the line if broken."""
    text = read_text(path, display)
    try:
        return text, tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError is a ValueError
        found = TOML_PLACE_RE.search(str(exc))
        place = f"line {found.group(1)}" if found else None
        message = TOML_PLACE_RE.sub("", str(exc)).strip() or "unreadable"
        raise InputError(display, f"invalid TOML: {message}", place) from exc


def load_json_object(path: Path, display: str) -> tuple[str, dict[str, Any] | None]:
    """The text and its top-level JSON object; None for a blank file."""
    text = read_text(path, display)
    if not text.strip():
        return text, None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(display, f"invalid JSON: {exc.msg}", f"line {exc.lineno}") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError(display, f"invalid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
        found = kinds.get(type(doc), "a number")
        raise InputError(display, f"expected a JSON object, found {found}")
    return text, doc


def table_array(doc: dict[str, Any], key: str, display: str) -> list[Any]:
    """``doc[key]`` as a list (empty when absent); InputError when it is something else."""
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise InputError(display, f"'{key}' must be an array of tables", key)
    return value


@dataclass(frozen=True, slots=True)
class TomlEntry:
    """One named table of a TOML lockfile's package array."""

    index: int
    name: str
    line: int | None
    table: dict[str, Any]


def read_toml_lockfile(
    path: Path, ctx: ParseContext, array: str
) -> tuple[dict[str, Any], Records, list[TomlEntry]]:
    """The document, Records holding the artifact (and Skipped nameless entries), the entries."""
    text, doc = load_toml_text(path, ctx.display)
    tables = table_array(doc, array, ctx.display)
    names = [str_field(t, "name") if isinstance(t, dict) else None for t in tables]
    lines = toml_entry_lines(text, array, names)
    records = Records(artifacts=[lockfile_artifact(path, ctx)])
    entries: list[TomlEntry] = []
    for index, (table, name, line) in enumerate(zip(tables, names, lines, strict=True)):
        if name is None or not isinstance(table, dict):
            reason = "entry is not a table with a name"
            records.skipped.append(skipped(ctx, line, f"{array}[{index}]", reason))
        else:
            entries.append(TomlEntry(index, name, line, table))
    return doc, records, entries


def toml_entry_lines(text: str, array: str, names: list[str | None]) -> list[int | None]:
    """1-based line of each ``[[array]]`` entry's ``name`` key, in document order.

    Falls back to the entry's header line, then to the first ``name = "X"`` in the
    text (inline arrays), then None.
    """
    header = re.compile(rf"^\[\[\s*{re.escape(array)}\s*\]\]\s*(#.*)?$")
    found: list[int] = []
    pending: int | None = None  # header line of the entry whose name is not found yet
    closing: str | None = None  # delimiter of the multi-line string we are in
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if closing:
            closing = None if line.count(closing) % 2 else closing
            continue
        if TABLE_RE.match(line):
            if pending is not None:
                found.append(pending)
            pending = number if header.match(line) else None
        elif pending is not None and _is_name_key(line):
            found.append(number)
            pending = None
        closing = _opens_multiline(line)
    if pending is not None:
        found.append(pending)
    lines: list[int | None] = list(found[: len(names)])
    for name in names[len(lines) :]:
        lines.append(_name_anywhere(text, name))
    return lines


def _is_name_key(line: str) -> bool:
    if not line.startswith("name") or line[4:].lstrip()[:1] != "=":
        return False
    try:
        return isinstance(tomllib.loads(line).get("name"), str)
    except ValueError:
        return False


def _opens_multiline(line: str) -> str | None:
    for delimiter in ('"""', "'''"):
        if line.count(delimiter) % 2:
            return delimiter
    return None


def _name_anywhere(text: str, name: str | None) -> int | None:
    if name is None:
        return None
    found = re.search(rf"""\bname\s*=\s*["']{re.escape(name)}["']""", text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """1-based line of every object-valued key, by its key path (valid JSON only)."""
    offsets: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, ...] | None] = []  # key path of open objects; None for arrays
    key: tuple[str, int] | None = None
    expect_key = False
    for token in JSON_TOKEN_RE.finditer(text):
        value = token.group()
        if value[0] == '"':
            if expect_key:
                name = json.loads(value) if "\\" in value else value[1:-1]
                key, expect_key = (name, token.start()), False
        elif value in "{[":
            path = stack[-1] if stack else ()
            if value == "{" and key is not None and path is not None:
                offsets.setdefault((*path, key[0]), key[1])
                stack.append((*path, key[0]))
            else:
                stack.append(() if value == "{" and not stack else None)
            expect_key, key = value == "{", None
        elif value in "}]":
            stack.pop()
        elif value == ",":
            expect_key, key = bool(stack) and stack[-1] is not None, None
    newlines = [m.start() for m in NEWLINE_RE.finditer(text)]
    return {path: bisect.bisect_left(newlines, at) + 1 for path, at in offsets.items()}


def normalise_hash(value: object) -> str | None:
    """``alg:hex`` (lower case) from ``alg:hex``, ``alg=hex`` or an SRI ``alg-base64``."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    found = HEX_HASH_RE.match(text)
    if found:
        return f"{found.group(1).lower().replace('-', '')}:{found.group(2).lower()}"
    found = SRI_RE.match(text)
    if found:
        try:
            raw = base64.b64decode(found.group(2), validate=True)
        except (binascii.Error, ValueError):
            return None
        return f"{found.group(1)}:{raw.hex()}"
    return None


def hash_table(value: object) -> list[str]:
    """Hashes from a PEP 751 style table ``{sha256 = "<hex>"}``."""
    if not isinstance(value, dict):
        return []
    found = (normalise_hash(f"{alg}:{digest}") for alg, digest in value.items())
    return [h for h in found if h]


def unique(values: list[str]) -> tuple[str, ...]:
    """The values without repeats, in first-seen order."""
    return tuple(dict.fromkeys(values))


def commit_fragment(url: str) -> tuple[str, str | None]:
    """``(url without #fragment, commit)``; commit only when the fragment is a hex id."""
    base, _, fragment = url.partition("#")
    fragment = fragment.removeprefix("commit=")
    return base, fragment if COMMIT_RE.match(fragment) else None


def public_url(url: str) -> str:
    """The URL with user-info, secret query parameters and token shapes masked."""
    return redact_url(url.strip())


def str_field(entry: dict[str, Any], key: str) -> str | None:
    """``entry[key]`` when it is a non-empty string, else None."""
    value = entry.get(key)
    return value if isinstance(value, str) and value.strip() else None


def lockfile_artifact(path: Path, ctx: ParseContext) -> Artifact:
    """The one artifact a lockfile yields."""
    return Artifact(key="", kind="lockfile", name=logical_name(path), origin=Origin(ctx.display))


def skipped(
    ctx: ParseContext, line: int | None, place: str, reason: str, *, informational: bool = False
) -> Skipped:
    """A Skipped record whose reason starts with the entry's place."""
    return Skipped(Origin(ctx.display, line), f"{place}: {reason}", informational)


def make_package(
    ctx: ParseContext, ecosystem: str, name: str, line: int | None, **fields: Any
) -> Package:
    """A lockfile Package: canonical name, the name as written, purl when pinned."""
    name = name.strip()
    version = fields.get("version")
    return Package(
        artifact_key="",
        ecosystem=ecosystem,
        name=canonical(ecosystem, name),
        origin=Origin(ctx.display, line),
        display_name=name,
        purl=_purl(ecosystem, canonical(ecosystem, name), version),
        **fields,
    )


def _purl(ecosystem: str, name: str, version: str | None) -> str | None:
    if not version:
        return None
    kind = {"PyPI": "pypi", "npm": "npm"}.get(ecosystem, "generic")
    scope, _, base = name.rpartition("/") if name.startswith("@") else ("", "", name)
    try:
        return str(PackageURL(type=kind, namespace=scope or None, name=base, version=version))
    except ValueError:
        return None

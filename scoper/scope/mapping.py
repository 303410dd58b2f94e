"""A responder's identity mapping (``scoper scope --identities FILE``): what no log shows.

CSV with a header ``name,alias_kind,alias_value[,note]``, or YAML: a list (or an
``identities:`` list) of mappings ``{name: ..., <alias kind>: value, note: ...}``. ``name`` is
a credential's name as the store holds it (an env var name, a file path); the alias kinds are
those of docs/identities.md (key-id, principal, token-name, ...). Each row is evidence (file
and line) for a confirmed ``mapping`` link.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from scoper.errors import InputError
from scoper.model import AliasKind
from scoper.sources.yaml_lines import load_yaml

_KINDS = frozenset(k.value for k in AliasKind) - {"held", "env-name", "file"}
Row = dict[str, Any]
_COLUMNS = ("name", "alias_kind", "alias_value", "note")


def read_mapping(path: Path) -> list[Row]:
    """The ``scope_identity_mapping`` rows of ``path``; InputError naming the place."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read identity mapping: {exc}") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml(text, str(path))
    return _csv(text, str(path))


def _row(display: str, line: int, name: str, kind: str, value: str, note: str) -> Row:
    where = f"line {line}"
    if not name or not value:
        raise InputError(display, "needs a name and an alias value", where)
    if kind not in _KINDS:
        known = ", ".join(sorted(_KINDS))
        raise InputError(display, f"unknown alias kind {kind!r} (one of {known})", where)
    fact = f"responder mapping: {name} is {kind} {value}" + (f" ({note})" if note else "")
    return {
        "name": name,
        "alias_kind": kind,
        "alias_value": value,
        "source_file": display,
        "source_line": line,
        "fact": fact,
    }


def _csv(text: str, display: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "alias_kind", "alias_value"} - set(reader.fieldnames or ())
    if missing:
        raise InputError(display, f"header lacks {', '.join(sorted(missing))}", "line 1")
    rows = []
    for record in reader:
        cell = {key: (record.get(key) or "").strip() for key in _COLUMNS}
        rows.append(_row(display, reader.line_num, *(cell[key] for key in _COLUMNS)))
    return rows


def _yaml(text: str, display: str) -> list[Row]:
    doc, lines = load_yaml(text, display)
    items = doc.get("identities") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise InputError(display, "expected a list of identities (or an 'identities:' list)")
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(display, "expected a mapping", f"identities[{index}]")
        line = lines.get(id(item), 1)
        name, note = str(item.get("name") or ""), str(item.get("note") or "")
        aliases = {k: v for k, v in item.items() if k not in ("name", "note")}
        if not aliases:
            raise InputError(display, "names no alias", f"identities[{index}]")
        rows += [_row(display, line, name, str(k), str(v or ""), note) for k, v in aliases.items()]
    return rows

"""Shared checks for the audit-trail parser tests: mutated line-based samples, secret leaks.

``line_mutations`` damages a sample the way real logs get damaged (lines cut,
dropped, duplicated, swapped, bytes flipped or inserted, JSON values replaced);
``assert_only_input_errors`` parses the result and lets only InputError escape;
``assert_no_secrets`` checks planted secret values appear nowhere in the records.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext, Source

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | st.sampled_from(["2026-03-24T10:00:00Z", "sha256:", "pods", "a=b"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)


@st.composite
def line_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """The sample with one to three line or byte mutations."""
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cut", "drop", "dup", "swap", "flip", "insert", "json"]))
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        line = lines[index] if lines else b""
        pos = draw(st.integers(0, len(line)))
        if kind == "cut":
            lines[index : index + 1] = [line[:pos]]
        elif kind == "drop" and lines:
            del lines[index]
        elif kind == "dup" and lines:
            lines.insert(index, line)
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "flip" and lines:
            lines[index] = line[:pos] + bytes([draw(st.integers(0, 255))]) + line[pos + 1 :]
        elif kind == "insert" and lines:
            lines[index] = line[:pos] + draw(st.binary(min_size=1, max_size=8)) + line[pos:]
        elif kind == "json" and lines:
            lines[index] = _replace_json(draw, line)
    return b"\n".join(lines)


def _replace_json(draw: st.DrawFn, line: bytes) -> bytes:
    try:
        value = json.loads(line)
    except ValueError:
        return line
    node: Any = value
    for _ in range(draw(st.integers(0, 5))):
        keys = (
            list(node)
            if isinstance(node, dict)
            else list(range(len(node)))
            if isinstance(node, list)
            else []
        )
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, dict | list) or draw(st.booleans()):
            node[key] = draw(_JSON_VALUES)
            break
        node = child
    return json.dumps(value).encode()


def parse_bytes(source: Source, data: bytes, name: str) -> Records:
    """Parse ``data`` as a file called ``name``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return source.parse(path, ParseContext(display=name))


def assert_only_input_errors(source: Source, data: bytes, name: str) -> None:
    """Parsing damaged input either works or raises InputError, nothing else."""
    try:
        records = parse_bytes(source, data, name)
    except InputError:
        return
    assert isinstance(records, Records)
    for event in records.events:
        assert event.ts.tzinfo is not None


def assert_no_secrets(records: Records, secrets: list[str]) -> None:
    """No planted secret value, nor a long piece of it, appears in any record."""
    text = repr(records)
    for secret in secrets:
        assert secret not in text
        assert secret[8:28] not in text, f"part of {secret[:6]}... leaked"

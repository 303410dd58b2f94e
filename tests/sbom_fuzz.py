"""Hypothesis strategies shared by the SBOM reader tests: mutated real samples.

Two kinds of mutation: raw bytes (truncate, flip, insert, delete) and JSON
structure (a random subtree replaced by an arbitrary JSON value or removed).
``assert_only_input_errors`` parses the result; only InputError may escape.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from scoper.errors import InputError
from scoper.sources.base import ParseContext, Source

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["pkg:pypi/x@1", "pkg:", "sha256:zz", "NOASSERTION"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """The sample with one raw-byte mutation."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    pos = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:pos]
    if kind == "flip":
        return data[:pos] + bytes([draw(st.integers(0, 255))]) + data[pos + 1 :]
    if kind == "insert":
        return data[:pos] + draw(st.binary(min_size=1, max_size=8)) + data[pos:]
    return data[:pos] + data[pos + draw(st.integers(1, 64)) :]


@st.composite
def json_mutations(draw: st.DrawFn, document: Any) -> bytes:
    """The sample with up to three subtrees replaced or removed."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        node = doc
        for _ in range(draw(st.integers(0, 6))):
            children = _children(node)
            if not children:
                break
            node = node[draw(st.sampled_from(children))]
        keys = _children(node)
        if not keys:
            continue
        key = draw(st.sampled_from(keys))
        if isinstance(node, dict) and draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(JSON_VALUES)
    return json.dumps(doc).encode()


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return list(range(len(node)))
    return []


def assert_only_input_errors(source: Source, payload: bytes, name: str) -> None:
    """Sniff and parse ``payload`` as file ``name``; anything but InputError fails."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(payload)
        source.sniff(path, payload[:4096])
        try:
            records = source.parse(path, ParseContext(name))
        except InputError:
            return
        for package in records.packages:
            assert isinstance(package.name, str) and package.name
            assert package.version is None or isinstance(package.version, str)

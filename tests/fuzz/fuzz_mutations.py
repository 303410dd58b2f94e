"""Seeded-random damage to an input file, shared by the CI property tests and scripts/fuzz.py.

``mutate(rng, data)`` applies one to three mutations: raw bytes (flip, insert,
delete, truncate, NUL), lines (drop, duplicate, swap, cut), JSON structure
(subtrees replaced by odd values or removed), tokens (huge numbers, deep
``[[[[`` nesting), encodings (UTF-16, BOMs, invalid UTF-8) and gzip (wrapped,
corrupt). Everything is driven by ``rng`` so a seed reproduces the input.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Callable
from typing import Any

DEPTHS = (50, 500, 999, 1000, 3000, 3000, 3000, 3000, 100_000)  # past the recursion limit
TOKENS = (
    b"[",
    b"{",
    b"]",
    b"}",
    b'"',
    b"'''",
    b'"""',
    b"null",
    b"true",
    b"-0",
    b"1e999",
    b"-1e999",
    b"NaN",
    b"Infinity",
    b"9" * 5000,
    b"0x1F",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\\ud800",
    b'"\\ud800"',
    b"\r",
    b"\t",
    b"=",
    b":",
    b"- ",
    b"&a *a",
    b"!!python/object:os.system",
    b"#",
    b"pkg:",
    b"@",
    b"==",
    b"sha256:",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
)
DEEP_MARK = "\x00deep:"
_DEEP_RE = re.compile(r'"\\u0000deep:(\d+):([\[{])"')
_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")
_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')


def odd_json(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value readers do not expect: wrong types, huge, deep, empty, odd strings."""
    choice = rng.randrange(14)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.choice([0, -1, 2**63, -(2**64), 10**400, 1.5, -0.0, 1e308])
    if choice == 3:
        return rng.choice(["", " ", "\x00", "\ud800", "\u202e", "é" * 3, "a" * 10_000])
    if choice == 4:
        return rng.choice(["1.0", "pkg:pypi/x@1", "pkg:", "sha256:", "2026-03-24T10:00:00Z"])
    if choice == 5:
        return rng.choice(["9999-99-99T99:99:99Z", "0", "-1", "1e99", "NOASSERTION", "@"])
    if choice == 6:
        return []
    if choice == 7:
        return {}
    if choice == 8:  # spliced in as text after dumping (the encoder would recurse)
        return f"{DEEP_MARK}{rng.choice(DEPTHS[:-1])}:{rng.choice('[{')}"
    if choice in (9, 10) and depth < 3:
        return [odd_json(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
    if choice in (11, 12) and depth < 3:
        keys = ["name", "version", "id", "type", "ts", "event", "packages", "", "\x00"]
        return {rng.choice(keys): odd_json(rng, depth + 1) for _ in range(rng.randrange(1, 4))}
    return rng.choice(["x", 1, None])


def _splice_deep(text: str) -> str:
    """Replace each deep-nesting marker string by that many ``[`` or ``{"a":`` levels."""
    if "\\u0000deep:" not in text:
        return text
    for found in _DEEP_RE.findall(text):
        depth, kind = int(found[0]), found[1]
        opener, closer = ("[", "]") if kind == "[" else ('{"a":', "}")
        nest = opener * depth + "1" + closer * depth
        text = text.replace(f'"\\u0000deep:{depth}:{kind}"', nest, 1)
    return text


def _json_structure(rng: random.Random, data: bytes) -> bytes:
    """Replace or remove a random subtree of the document (or of one JSON line)."""
    lines = data.split(b"\n")
    try:
        whole = json.loads(data)
        targets: list[int] = []
    except (ValueError, RecursionError):
        targets = [i for i, line in enumerate(lines) if line.strip().startswith((b"{", b"["))]
        if not targets:
            return _tokens(rng, data)
    index = rng.choice(targets) if targets else -1
    try:
        doc = json.loads(lines[index]) if targets else whole
    except (ValueError, RecursionError):
        return _tokens(rng, data)
    for _ in range(rng.randrange(1, 4)):
        doc = _replace_subtree(rng, doc)
    try:
        text = _splice_deep(json.dumps(doc))
    except (ValueError, RecursionError):
        return data
    if not targets and rng.random() < 0.3:  # pretty-printed, as most tools write it
        text = text.replace(", ", ",\n  ").replace("{", "{\n", 1)
    if not targets:
        return text.encode("utf-8", "surrogatepass")
    lines[index] = text.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def _replace_subtree(rng: random.Random, doc: Any) -> Any:
    if not isinstance(doc, dict | list) or not doc or rng.random() < 0.05:
        return odd_json(rng)
    node: Any = doc
    for _ in range(rng.randrange(0, 8)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        child = node[rng.choice(keys)] if keys else None
        if not isinstance(child, dict | list) or not child:
            break
        node = child
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if not keys:
        return doc
    key = rng.choice(keys)
    roll = rng.random()
    if roll < 0.25 and isinstance(node, dict):
        del node[key]
    elif roll < 0.35 and isinstance(node, list):
        node.append(node[key])
    else:
        node[key] = odd_json(rng)
    return doc


def _bytes(rng: random.Random, data: bytes) -> bytes:
    pos = rng.randrange(len(data) + 1)
    kind = rng.randrange(6)
    if kind == 0:
        return data[:pos]
    if kind == 1:
        flips = bytearray(data)
        for _ in range(rng.randrange(1, 9)):
            if flips:
                flips[rng.randrange(len(flips))] = rng.randrange(256)
        return bytes(flips)
    if kind == 2:
        return data[:pos] + rng.randbytes(rng.randrange(1, 9)) + data[pos:]
    if kind == 3:
        return data[:pos] + data[pos + rng.randrange(1, 256) :]
    if kind == 4:
        return data[:pos] + b"\x00" * rng.randrange(1, 4) + data[pos:]
    return data[:pos] + data[pos - rng.randrange(1, 64) : pos] * rng.randrange(2, 20) + data[pos:]


def _lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    kind = rng.randrange(5)
    if kind == 0:
        del lines[index]
    elif kind == 1:
        lines[index:index] = [lines[index]] * rng.randrange(1, 4)
    elif kind == 2:
        other = rng.randrange(len(lines))
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == 3:
        lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
    else:
        del lines[index : index + rng.randrange(1, 50)]
    return b"\n".join(lines)


def _tokens(rng: random.Random, data: bytes) -> bytes:
    """Swap the next number or string token after a random place for a hostile token."""
    token = rng.choice(TOKENS)
    pos = rng.randrange(len(data) + 1)
    match = (_NUMBER if rng.random() < 0.5 else _STRING).search(data, pos)
    if match:
        return data[: match.start()] + token + data[match.end() :]
    return data[:pos] + token + data[pos:]


def _deep(rng: random.Random, data: bytes) -> bytes:
    """Open (and maybe close) ``[``/``{"a":`` nesting at a value position, or replace all."""
    depth = rng.choice(DEPTHS)
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}"), (b"{a=", b"}"), (b"- ", b"")])
    nest = opener * depth + (closer * depth if rng.random() < 0.7 else b"")
    if rng.random() < 0.3:
        return nest
    pos = rng.randrange(len(data) + 1)
    match = _STRING.search(data, pos) or _NUMBER.search(data, pos)
    if not match:
        return data[:pos] + nest
    return data[: match.start()] + nest + data[match.end() :]


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    kind = rng.randrange(6)
    if kind == 0:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be"]))
    if kind == 1:
        return b"\xef\xbb\xbf" + data
    if kind == 2:
        return text.encode("latin-1", "replace")
    if kind == 3:
        return data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n"]))
    if kind == 4:
        return b"\xff\xfe" + data  # a UTF-16 BOM on UTF-8 bytes
    return b"\xfe\xff" + text.encode("utf-16-le")  # a BOM that lies about byte order


def _gzip(rng: random.Random, data: bytes) -> bytes:
    packed = gzip.compress(data, mtime=0)
    kind = rng.randrange(4)
    if kind == 0:
        return packed
    if kind == 1:
        return packed[: rng.randrange(2, len(packed))]
    if kind == 2:
        flipped = bytearray(packed)
        flipped[rng.randrange(2, len(flipped))] ^= 1 << rng.randrange(8)
        return bytes(flipped)
    return packed + rng.randbytes(rng.randrange(1, 16))


MUTATORS: tuple[tuple[Callable[[random.Random, bytes], bytes], int], ...] = (
    (_bytes, 4),
    (_lines, 4),
    (_json_structure, 6),
    (_tokens, 3),
    (_deep, 1),
    (_encoding, 1),
)


def mutate(rng: random.Random, data: bytes) -> bytes:
    """``data`` with one to three mutations, then (sometimes) gzip-wrapped."""
    functions = [f for f, _ in MUTATORS]
    weights = [w for _, w in MUTATORS]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if not data:
            data = rng.choice([b"", b"\n", b" ", b"{}", b"[]", b"\x00"])
            break
        data = rng.choices(functions, weights)[0](rng, data)
    if rng.random() < 0.06:
        data = _gzip(rng, data)
    return data

"""A scoper-events file made safe for DuckDB's line reader, within :mod:`scoper.limits`.

DuckDB reads the file as it is when it can: UTF-8 with every line within ``max_line``
(the stream is checked first, gzip bombs and corrupt gzip refused on the way). Otherwise
a UTF-8 copy goes to a temporary file, each over-long or invalid line blanked (numbering
kept) and reported as ``(line, reason)`` to be recorded as skipped.
"""

from __future__ import annotations

import codecs
import itertools
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scoper.errors import InputError
from scoper.limits import Limits, current
from scoper.sources.reading import is_gzip, read_json_items
from scoper.sources.streams import (
    UTF16_BOMS,
    open_input,
    utf8_pieces,
    utf16_lines,
)
from scoper.sources.wrappers_cloudwatch import looks_enveloped

_BLOCK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Prepared:
    """What DuckDB should read, how, and the lines already skipped."""

    path: Path
    compression: str
    skipped: list[tuple[int, str]] = field(default_factory=list)


@contextmanager
def prepared(path: Path, display: str, limits: Limits | None = None) -> Iterator[Prepared]:
    """The file itself when DuckDB can read it, else a cleaned UTF-8 temporary copy."""
    chosen = limits or current()
    with open_input(path, display, chosen) as stream:
        enveloped = looks_enveloped(stream.read(4096))
    if not enveloped and _readable(path, display, chosen):
        yield Prepared(path, "gzip" if is_gzip(path) else "none")
        return
    with tempfile.TemporaryDirectory(prefix="scoper-events-") as folder:
        copy = Path(folder) / "events.jsonl"
        if enveloped:
            skipped = _unwrapped(path, display, copy)
        else:
            skipped = _rewrite(path, display, chosen, copy)
        yield Prepared(copy, "none", skipped)


def _unwrapped(path: Path, display: str, copy: Path) -> list[tuple[int, str]]:
    """The events of a CloudWatch envelope, each on the line of the outer file it stands
    on (blank lines between), so DuckDB's line numbers are the outer file's."""
    data = read_json_items(path, display)
    lines = [n for n, _ in data.items]
    if any(b <= a for a, b in itertools.pairwise(lines)):
        raise InputError(
            display,
            "scoper events in an envelope with several events on one line: their lines "
            "cannot be kept; unwrap it first (aws logs filter-log-events --output json)",
        )
    with copy.open("w", encoding="utf-8") as out:
        at = 1
        for line, item in data.items:
            out.write("\n" * (line - at) + json.dumps(item) + "\n")
            at = line + 1
    return sorted(data.bad + data.notes)


def _readable(path: Path, display: str, limits: Limits) -> bool:
    """Whether the stream is UTF-8 (no BOM) with no line over ``max_line`` bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_input(path, display, limits) as stream:
        if stream.peek(3)[:3] == _UTF8_BOM or stream.peek(2)[:2] in UTF16_BOMS:
            return False
        run = 0  # bytes of the line not ended yet
        while block := stream.read(_BLOCK):
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
            if not _within(block, run, limits.max_line):
                return False
            last = block.rfind(b"\n")
            run = run + len(block) if last < 0 else len(block) - last - 1
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return run <= limits.max_line


def _within(block: bytes, run: int, max_line: int) -> bool:
    """Whether every line ending in ``block`` (the first ``run`` bytes longer) fits."""
    first = block.find(b"\n")
    if first < 0:
        return run + len(block) <= max_line
    if run + first > max_line:
        return False
    return len(block) <= max_line or max(map(len, block.split(b"\n"))) <= max_line


def _rewrite(path: Path, display: str, limits: Limits, copy: Path) -> list[tuple[int, str]]:
    bad: list[tuple[int, str]] = []
    with open_input(path, display, limits) as stream, copy.open("w", encoding="utf-8") as out:
        if stream.peek(2)[:2] in UTF16_BOMS:
            lines = utf16_lines(stream.read(), display, limits)
            out.write(lines.text)
            return lines.bad
        first = True
        for piece in utf8_pieces(stream, limits, bad):
            out.write(piece.removeprefix("\ufeff") if first else piece)
            first = False
    return sorted(bad)

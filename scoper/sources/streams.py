"""Opening input files within :mod:`scoper.limits`: gzip streamed and bounded, lines bounded.

``open_input`` gives a buffered binary stream of a file's decompressed bytes that raises
:class:`InputError` on a corrupt gzip, on a gzip that expands past ``max_bytes`` or more
than ``max_ratio`` times, and on a plain file larger than ``max_bytes``. ``read_lines``
streams a line-oriented file: lines too long or not valid text are blanked (so numbering
is kept) and reported as ``(line, reason)``.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from scoper.errors import InputError
from scoper.limits import Limits, current, mib

GZIP_MAGIC = b"\x1f\x8b"
_CORRUPT = (gzip.BadGzipFile, EOFError, zlib.error)
_BLOCK = 1 << 20


def corrupt_gzip(display: str, exc: BaseException) -> InputError:
    """The error for a gzip that cannot be decompressed (truncated, bad data)."""
    return InputError(display, f"corrupt gzip: {exc or 'truncated'}")


class _BoundedGzip(io.RawIOBase):
    """Decompressed bytes of a gzip file, refusing bombs as they expand."""

    def __init__(self, raw: io.BufferedReader, display: str, limits: Limits) -> None:
        self._raw = raw
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._display = display
        self._limits = limits
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            count = self._gzip.readinto(buffer)
        except _CORRUPT as exc:
            raise corrupt_gzip(self._display, exc) from exc
        self._out += count
        self._check()
        return count

    def _check(self) -> None:
        limits, out = self._limits, self._out
        if out > limits.max_bytes:
            cap = mib(limits.max_bytes)
            raise InputError(self._display, f"gzip expands past {cap} (limit {cap})")
        packed = max(self._raw.tell(), 1)
        if out > limits.ratio_floor and out > packed * limits.max_ratio:
            raise InputError(
                self._display,
                f"gzip expands past {mib(out)} from {mib(packed)} "
                f"(limit: ratio {limits.max_ratio})",
            )

    def close(self) -> None:
        self._gzip.close()
        super().close()


@contextmanager
def open_input(
    path: Path, display: str, limits: Limits | None = None
) -> Iterator[io.BufferedReader]:
    """The file's decompressed bytes as a buffered stream, within ``limits``."""
    chosen = limits or current()
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from exc
    try:
        if raw.peek(2)[:2] == GZIP_MAGIC:
            bounded = _BoundedGzip(raw, display, chosen)
            with cast(io.BufferedReader, io.BufferedReader(bounded, _BLOCK)) as stream:
                yield stream
            return
        size = path.stat().st_size
        if size > chosen.max_bytes:
            cap = mib(chosen.max_bytes)
            raise InputError(display, f"file is larger than {cap} (limit {cap})")
        yield raw
    except OSError as exc:
        if isinstance(exc, gzip.BadGzipFile):
            raise corrupt_gzip(display, exc) from exc
        raise InputError(display, f"cannot read: {exc.strerror or exc}") from exc
    finally:
        raw.close()


def read_limited(path: Path, display: str, limits: Limits | None = None) -> bytes:
    """All of the file's decompressed bytes, within ``limits``."""
    with open_input(path, display, limits) as stream:
        return stream.read()


@dataclass(slots=True)
class Lines:
    """A line-oriented file's text, unusable lines blanked, and why each was blanked."""

    text: str = ""
    bad: list[tuple[int, str]] = field(default_factory=list)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_lines(path: Path, display: str, limits: Limits | None = None) -> Lines:
    """Stream a text file line by line: a line over ``max_line`` bytes is skipped unread,
    one that is not valid UTF-8 is skipped; the rest is kept with its numbering."""
    chosen = limits or current()
    with open_input(path, display, chosen) as stream:
        if stream.peek(2)[:2] in UTF16_BOMS:
            return utf16_lines(stream.read(), display, chosen)
        return _utf8_lines(stream, chosen)


def split_lines(data: bytes, limits: Limits | None = None) -> Lines:
    """:func:`read_lines` over bytes already read."""
    stream = cast(io.BufferedReader, io.BufferedReader(io.BytesIO(data)))
    return _utf8_lines(stream, limits or current())


def _utf8_lines(stream: io.BufferedReader, limits: Limits) -> Lines:
    result = Lines()
    result.text = "".join(utf8_pieces(stream, limits, result.bad)).removeprefix("\ufeff")
    result.bad.sort()
    return result


def utf8_pieces(
    stream: io.BufferedReader, limits: Limits, bad: list[tuple[int, str]]
) -> Iterator[str]:
    """The text of a UTF-8 stream in pieces of whole lines, read in blocks: a line that
    grows past ``max_line`` is dropped as it streams by, one not valid UTF-8 is blanked;
    each goes to ``bad`` as ``(line, reason)``."""
    number, carry, skipping = 0, b"", False  # lines ended so far; an unended line
    while block := stream.read(_BLOCK):
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                continue
            yield "\n"
            number, skipping, block = number + 1, False, block[end + 1 :]
        data = carry + block
        cut = data.rfind(b"\n") + 1
        carry = data[cut:]
        if cut:
            yield _decode_lines(data[:cut], number + 1, limits.max_line, bad)
            number += data.count(b"\n", 0, cut)
        if len(carry) > limits.max_line:
            bad.append((number + 1, _too_long(limits.max_line)))
            carry, skipping = b"", True
    if carry:
        yield _decode_lines(carry, number + 1, limits.max_line, bad)


def _too_long(max_line: int) -> str:
    return f"line longer than {mib(max_line)}, skipped"


def _decode_lines(data: bytes, first: int, max_line: int, bad: list[tuple[int, str]]) -> str:
    """Whole lines (the first numbered ``first``) as text; bad ones blanked and noted."""
    if len(data) > max_line:
        lines = data.split(b"\n")
        if max(map(len, lines)) > max_line:
            for index, line in enumerate(lines):
                if len(line) > max_line:
                    bad.append((first + index, _too_long(max_line)))
                    lines[index] = b""
            data = b"\n".join(lines)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out = data.split(b"\n")
    for index, line in enumerate(out):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append((first + index, "not valid UTF-8, skipped"))
            out[index] = b""
    return b"\n".join(out).decode("utf-8")


def utf16_lines(data: bytes, display: str, limits: Limits) -> Lines:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        where = data[: exc.start].count("\n".encode("utf-16-le")) + 1
        raise InputError(display, "not valid utf-16 text", f"line {where}") from exc
    result = Lines()
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if len(line) > limits.max_line // 2:
            lines[number - 1] = ""
            result.bad.append((number, _too_long(limits.max_line)))
    result.text = "\n".join(lines)
    return result

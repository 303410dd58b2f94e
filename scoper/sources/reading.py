"""Reading input files: transparent gzip, encodings with a BOM, precise errors."""

from __future__ import annotations

import gzip
import json
import tomllib
import zlib
from pathlib import Path
from typing import Any

from scoper.errors import InputError

HEAD_BYTES = 4096


def is_gzip(path: Path) -> bool:
    """True if the file starts with the gzip magic bytes."""
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def logical_name(path: Path) -> str:
    """The file name without a trailing ``.gz`` (what sniffers look at)."""
    name = path.name
    return name[:-3] if name.endswith(".gz") else name


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """The file's bytes, gunzipped when it is gzip."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(shown, f"corrupt gzip data: {exc}") from exc
    return data


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes after decompression; empty on a broken file."""
    try:
        if is_gzip(path):
            with gzip.open(path, "rb") as handle:
                return handle.read(size)
        with path.open("rb") as handle:
            return handle.read(size)
    except (OSError, EOFError, zlib.error):
        return b""


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

"""Import shape: one OSV JSON file (gzip and a UTF-8 BOM allowed)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scoper.feeds.fields import advisory_error
from scoper.feeds.import_base import Member
from scoper.limits import Limits, mib


@dataclass(frozen=True, slots=True)
class JsonFile:
    """A single ``.json`` (or ``.json.gz``) record, or any file no other shape claims."""

    name: str = "json"

    def claims(self, path: Path) -> bool:
        return path.is_file()

    def members(self, path: Path, limits: Limits) -> Iterator[Member]:
        yield file_member(path, limits)


def file_member(path: Path, limits: Limits) -> Member:
    """A file on disk as a member, read within ``limits.max_bytes``."""
    shown = str(path)
    return Member(shown, shown, PurePosixPath(path.name), lambda: read_file(path, limits))


def read_file(path: Path, limits: Limits) -> bytes:
    """The bytes of ``path``; too large or unreadable is an AdvisoryError."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise advisory_error(str(path), "", f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > limits.max_bytes:
        raise advisory_error(str(path), "", f"larger than the limit of {mib(limits.max_bytes)}")
    return raw


def decode_json(raw: bytes, file: str, limits: Limits | None = None) -> Any:
    """Parse JSON bytes (gzip and UTF-8 BOM allowed), naming line and column on errors."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, file, limits or Limits())
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise advisory_error(file, f"byte {exc.start}", "not valid UTF-8") from exc
    except json.JSONDecodeError as exc:
        place = f"line {exc.lineno} column {exc.colno}"
        raise advisory_error(file, place, f"invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise advisory_error(file, "", "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer literal too long to convert
        raise advisory_error(file, "", f"invalid JSON: {exc}") from exc


def _gunzip(raw: bytes, file: str, limits: Limits) -> bytes:
    """Decompress within ``limits`` (size and ratio: a gzip bomb is refused)."""
    cap = min(limits.max_bytes, max(limits.ratio_floor, len(raw) * limits.max_ratio))
    try:
        out = zlib.decompressobj(wbits=31).decompress(raw, cap + 1)
    except (zlib.error, EOFError) as exc:
        raise advisory_error(file, "", f"corrupt gzip data: {exc}") from exc
    if len(out) > cap:
        raise advisory_error(file, "", f"gzip expands past {mib(cap)}: refused as a bomb")
    return out

"""Upload times that lockfiles record per distribution file, for the gate's cool-down offline.

uv.lock (``[[package]]``) and pylock.toml (PEP 751 ``[[packages]]``) give each sdist and
wheel an ``upload-time``. The readers do not keep it (the package model has no field for
it), so ``--min-age`` reads just these keys again from the files that list pinned packages.
A version's time is its **newest** locked file: a wheel added to an old release later is
new code, and the cool-down must not pass it on the release's first upload.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoper.names import canonical

FORMATS = {"uv.lock": "package", "pylock.toml": "packages"}

UploadTimes = dict[tuple[str, str], datetime]  # (canonical name, version) -> newest upload


def read_upload_times(path: Path, fmt: str) -> UploadTimes:
    """(name, version) -> newest file upload time in one uv.lock or pylock.toml; empty for
    other formats or a file that cannot be read again (the check already read it)."""
    key = FORMATS.get(fmt)
    if key is None:
        return {}
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    found: UploadTimes = {}
    for entry in doc.get(key, []):
        if not isinstance(entry, dict):
            continue
        name, version = entry.get("name"), entry.get("version")
        times = [t for f in _files(entry) if (t := _time(f.get("upload-time"))) is not None]
        if isinstance(name, str) and isinstance(version, str) and times:
            found[(canonical("PyPI", name), version)] = max(times)
    return found


def _files(entry: dict[str, Any]) -> list[dict[str, Any]]:
    files = [entry.get("sdist"), entry.get("archive"), *(entry.get("wheels") or [])]
    return [f for f in files if isinstance(f, dict)]


def _time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None

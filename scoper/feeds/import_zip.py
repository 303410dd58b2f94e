"""Import shape: a zip archive (osv.dev's per-ecosystem ``all.zip``: a flat zip of
``<id>.json``; or a GitHub archive of ossf/malicious-packages or pypa/advisory-database).

Bounded by :mod:`scoper.limits`: at most ``max_members`` records, each member at most
``max_bytes`` (declared *and* as read: a lying header does not help), the archive in
total at most ``max_bytes`` decompressed, and a member expanding more than
``max_ratio`` times past ``ratio_floor`` is refused as a bomb. Any of these refuses
the whole archive: nothing from it is kept.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scoper.errors import AdvisoryError
from scoper.feeds.fields import advisory_error
from scoper.feeds.import_base import Member, is_record_name, ossf_only
from scoper.limits import Limits, mib

_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError)


@dataclass(frozen=True, slots=True)
class ZipArchive:
    """Every record file inside a zip, read in name order."""

    name: str = "zip"

    def claims(self, path: Path) -> bool:
        return path.is_file() and zipfile.is_zipfile(path)

    def members(self, path: Path, limits: Limits) -> Iterator[Member]:
        shown = str(path)
        try:
            with zipfile.ZipFile(path) as archive:
                infos = _checked(shown, archive, limits)
                for name in sorted(infos):
                    data = _read(shown, archive, infos[name], limits)
                    yield Member(f"{shown}: {name}", f"{shown}!{name}", name, _held(data))
        except AdvisoryError:
            raise
        except _ZIP_ERRORS as exc:
            raise advisory_error(shown, "", f"not a readable zip archive: {exc}") from exc


def _held(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _checked(
    shown: str, archive: zipfile.ZipFile, limits: Limits
) -> dict[PurePosixPath, zipfile.ZipInfo]:
    """The record members, after the declared sizes passed the limits."""
    infos = {PurePosixPath(i.filename): i for i in archive.infolist() if not i.is_dir()}
    names = ossf_only([n for n in infos if is_record_name(n)])
    if len(names) > limits.max_members:
        raise advisory_error(shown, "", f"more than {limits.max_members} records: refused")
    total = 0
    for name in names:
        info = infos[name]
        _bounded(f"{shown}: {name}", info.file_size, info.compress_size, limits)
        total += info.file_size
        if total > limits.max_bytes:
            raise advisory_error(shown, "", f"expands past {mib(limits.max_bytes)}: refused")
    return {name: infos[name] for name in names}


def _read(shown: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """A member's bytes, never more than the limits allow whatever its header says."""
    display = f"{shown}: {info.filename}"
    with archive.open(info) as handle:
        data = handle.read(limits.max_bytes + 1)
    _bounded(display, len(data), info.compress_size, limits)
    return data


def _bounded(display: str, size: int, packed: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise advisory_error(display, "", f"larger than the limit of {mib(limits.max_bytes)}")
    if size > limits.ratio_floor and size > max(packed, 1) * limits.max_ratio:
        raise advisory_error(
            display, "", f"expands {size // max(packed, 1)} times: refused as a zip bomb"
        )

"""Zip archives of any inputs: each member detected and read as its own input.

A member is extracted (bounded: member count, member and total size) into a private
folder under its own name, detected by the registry like a file given on the command
line, and parsed with ``archive.zip!/member`` as its display, so evidence points inside
the archive. A member no reader claims, a nested zip, or one that is broken is skipped
with its reason; prose (README, ``.md``) is skipped as informational.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from scoper.errors import InputError
from scoper.model import Origin, Records, Skipped
from scoper.sources.base import FileSource, ParseContext, Source, SourceKind
from scoper.sources.reading import read_head

MAX_MEMBERS = 10000
MAX_MEMBER_BYTES = 256 << 20
MAX_TOTAL_BYTES = 1 << 30
_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, KeyError)
_PROSE = (".md", ".rst", ".html", ".pdf", ".png", ".jpg", ".jpeg", ".svg")
_FIELDS: tuple[str, ...] = ("artifacts", "packages", "files", "sessions", "events")
_FIELDS += ("credentials", "credential_uses", "identity_links", "skipped")


def _safe_name(name: str) -> PurePosixPath | None:
    """The member's path, None when it would leave the extraction folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    return path


def _detect(path: Path, itself: Source) -> Source | None:
    registry = importlib.import_module("scoper.sources.registry")
    head = read_head(path)
    sources: tuple[Source, ...] = registry.all_sources()
    for source in sources:
        if source is not itself and not source.directory and source.sniff(path, head):
            return source
    return None


def _merge(into: Records, found: Records) -> None:
    for name in _FIELDS:
        getattr(into, name).extend(getattr(found, name))


class ZipSource(FileSource):
    """A zip of inputs (lockfiles, SBOMs, logs): every member read by its own reader."""

    name = "zip"
    kind: SourceKind = "audit"  # never shared between copies: members vary
    obtained = "any zip of the files above, e.g. `zip -r evidence.zip DIR/` or a workflow artifact"
    summary = "zip archive of inputs (any format above, members detected by content)"
    reads = (
        f"each member detected and read as its own input, shown as archive.zip!/member; "
        f"at most {MAX_MEMBERS} members, {MAX_MEMBER_BYTES >> 20} MiB each, "
        f"{MAX_TOTAL_BYTES >> 30} GiB in all; unrecognised and nested zips skipped"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path)

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        try:
            with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
                return self._read(archive, Path(tmp), ctx)
        except InputError:
            raise
        except _ERRORS as exc:
            raise InputError(ctx.display, f"not a readable zip archive: {exc}") from exc

    def _read(self, archive: zipfile.ZipFile, tmp: Path, ctx: ParseContext) -> Records:
        infos = [i for i in archive.infolist() if i.filename and not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise InputError(ctx.display, f"archive has over {MAX_MEMBERS} members")
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise InputError(ctx.display, f"archive expands to over {MAX_TOTAL_BYTES >> 30} GiB")
        records = Records()
        for index, info in enumerate(infos):
            shown = f"{ctx.display}!/{info.filename}"
            name = _safe_name(info.filename)
            if name is None or info.file_size > MAX_MEMBER_BYTES:
                why = "unsafe member path" if name is None else "member too large"
                records.skipped.append(Skipped(Origin(shown, None), f"{why}; not read"))
                continue
            if name.name.startswith(".") or "__MACOSX" in name.parts:
                note = "hidden member; not read"
                records.skipped.append(Skipped(Origin(shown, None), note, informational=True))
                continue
            target = tmp / str(index) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as member, target.open("wb") as out:
                shutil.copyfileobj(member, out)
            _merge(records, self._member(target, shown, ctx))
        if not infos:
            raise InputError(ctx.display, "empty zip archive")
        return records

    def _member(self, target: Path, shown: str, ctx: ParseContext) -> Records:
        source = _detect(target, self)
        if source is None:
            prose = target.suffix.lower() in _PROSE or target.name.upper().startswith("README")
            why = "prose; not evidence" if prose else "no reader recognises this member"
            return Records(skipped=[Skipped(Origin(shown, None), why, informational=prose)])
        try:
            return source.parse(target, ParseContext(shown, ctx.host, ctx.fingerprint_key))
        except InputError as exc:
            return Records(
                skipped=[
                    Skipped(
                        Origin(shown, None),
                        f"not read: {exc.message}" + (f" ({exc.place})" if exc.place else ""),
                    )
                ]
            )


SOURCE = ZipSource()

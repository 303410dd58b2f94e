"""The interface every input format implements, and the context it parses in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from scoper.errors import InputError
from scoper.model import Records

if TYPE_CHECKING:
    import duckdb

SourceKind = Literal["lockfile", "sbom", "environment", "audit", "advisory"]


def fingerprint(key: bytes, value: str) -> str:
    """A keyed hash of a secret value: ``fp:`` + 32 hex digits of sha256(key ":" value).

    The one definition: parsers reach it through :meth:`ParseContext.fingerprint`,
    the bulk JSONL loader calls it on each distinct value it stages.
    """
    raw = value.encode("utf-8", "surrogatepass")  # a JSON "\\ud800" escape is no error
    digest = hashlib.sha256(key + b":" + raw)
    return "fp:" + digest.hexdigest()[:32]


@dataclass(slots=True)
class ParseContext:
    """What a parser may know besides the file itself.

    ``display`` is the path as the user should see it in errors and evidence;
    ``host`` the one given on ingest for logs that name none.
    """

    display: str
    host: str | None = None
    fingerprint_key: bytes = b"scoper"

    def fingerprint(self, value: str) -> str:
        """A keyed hash of a secret value (same secret, same store -> same fingerprint).

        Parsers call it and drop the value at once.
        """
        return fingerprint(self.fingerprint_key, value)


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a bulk source loaded straight into the store."""

    records: int
    skipped: int = 0


@runtime_checkable
class Source(Protocol):
    """One input format.

    ``sniff`` must be cheap (file name and the first bytes, already
    decompressed); ``parse`` reads the whole file and returns normalised
    records, raising :class:`scoper.errors.InputError` with a place on bad input.
    """

    name: str
    kind: SourceKind
    summary: str  # one line: what the format is
    reads: str  # what scoper takes from it (docs/formats.md)
    obtained: str  # where a user gets the file: a command, path or UI location

    directory: bool  # reads a folder (site-packages), not a file

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def parse(self, path: Path, ctx: ParseContext) -> Records: ...

    def digest(self, path: Path) -> str:
        """The content identity of ``path`` (sha256 of a file's bytes)."""
        ...


class FileSource:
    """Defaults for a reader of single files: sniffed on files, identified by their bytes."""

    directory: bool = False

    def digest(self, path: Path) -> str:
        """sha256 of the file's bytes."""
        return file_sha256(path)


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks; InputError when it cannot be read."""
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return sha.hexdigest()


@runtime_checkable
class BulkSource(Source, Protocol):
    """A source that loads rows with DuckDB's own readers instead of Python.

    ``load`` runs inside the store's open transaction for this file and
    writes straight into the canonical tables, tagging rows with ``ingest_id``.
    """

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, ctx: ParseContext, ingest_id: int
    ) -> LoadReport: ...

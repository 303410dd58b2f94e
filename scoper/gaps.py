"""Inputs that were not there: what makes ``scoper check`` fail with exit 3 instead of
passing on nothing (missing includes, empty files, folders with nothing to read)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

from scoper.ingest import FileResult
from scoper.scope.steps import rows


def input_gaps(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    results: Sequence[FileResult],
    allow_empty: bool,
) -> list[str]:
    """Messages naming each file or folder whose evidence is missing.

    An include that was not read always counts; with ``allow_empty`` empty files and
    folders do not.
    """
    gaps = [
        f"{r.path}: includes an input that was not read: {m}" for r in results for m in r.missing
    ]
    if allow_empty:
        return gaps
    gaps += [_unread(path, results) for path in paths if path.is_dir()]
    gaps += [f"{r['path']}: empty input, no package records" for r in rows(con, "empty_inputs")]
    return [gap for gap in gaps if gap]


def _unread(folder: Path, results: Sequence[FileResult]) -> str:
    """Why nothing was read from ``folder``; empty when something was."""
    inside = [r for r in results if _under(r.path, folder)]
    if any(r.status != "ignored" for r in inside):
        return ""
    if inside:
        names = ", ".join(sorted(Path(r.path).name for r in inside)[:5])
        return f"{folder}: no lockfile, SBOM or environment found, only documentation ({names})"
    return f"{folder}: empty folder, no input files found"


def _under(path: str, folder: Path) -> bool:
    top = str(folder)
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)

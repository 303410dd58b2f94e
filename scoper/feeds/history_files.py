"""Per-file PyPI release history in the store (table ``release_files``, migration 0007).

``advisories sync`` / ``history`` keep every distribution file with its own upload time,
yank and ``requires-python`` and the project's PEP 792 status, so the resolver at a moment
(:func:`scoper.scope.resolver.resolve_at`) can run from the store, offline, with the same
``ProjectFiles`` the feed returned.
"""

from __future__ import annotations

from datetime import UTC

import duckdb

from scoper.feeds.pypi import DistFile, ProjectFiles
from scoper.store.db import transaction
from scoper.store.load import insert_rows, utc_naive

_PYPI = "PyPI"


def save_files(con: duckdb.DuckDBPyConnection, name: str, project: ProjectFiles) -> None:
    """Replace the stored files of one PyPI project (one transaction)."""
    with transaction(con):
        con.execute("DELETE FROM release_files WHERE ecosystem = ? AND name = ?", [_PYPI, name])
        insert_rows(
            con,
            "release_files",
            None,
            [
                {
                    "ecosystem": _PYPI,
                    "name": name,
                    "version": f.version,
                    "filename": f.filename,
                    "uploaded_at": utc_naive(f.uploaded_at),
                    "yanked": f.yanked,
                    "requires_python": f.requires_python,
                    "project_status": project.status,
                    "fetched_at": utc_naive(project.fetched_at),
                    "url": project.url,
                }
                for f in project.files
            ],
        )


def load_files(con: duckdb.DuckDBPyConnection, name: str) -> ProjectFiles | None:
    """The stored files of one PyPI project as the feed returned them; None if never synced."""
    rows = con.execute(
        "SELECT filename, version, uploaded_at, yanked, requires_python, project_status,"
        " fetched_at, url FROM release_files WHERE ecosystem = ? AND name = ?"
        " ORDER BY uploaded_at, filename",
        [_PYPI, name],
    ).fetchall()
    if not rows:
        return None
    files = tuple(DistFile(r[0], r[1], r[2].replace(tzinfo=UTC), bool(r[3]), r[4]) for r in rows)
    status, fetched, url = rows[0][5], rows[0][6], rows[0][7] or ""
    return ProjectFiles(name, files, status, fetched.replace(tzinfo=UTC) if fetched else None, url)

"""Warnings for recorded trails whose hash chain breaks (``trail_breaks``, docs/recording.md)."""

from __future__ import annotations

from scoper.engines.base import Connection
from scoper.scope.steps import rows


def trail_warnings(con: Connection) -> list[str]:
    """One warning per broken trail file the store holds: evidence after the break is
    used, but not trusted as recorded."""
    return [
        f"trail {r['source_file']}: the hash chain breaks at line {r['source_line']} "
        f"({r['reason']}); its evidence from that line on is not trusted as recorded"
        for r in rows(con, "trail_breaks")
    ]

"""osquery diffResults whose added/removed are not lists: nothing read, no TypeError."""

from __future__ import annotations

from pathlib import Path

from scoper.sources.audit.osquery import SOURCE as OSQUERY
from scoper.sources.base import ParseContext


def test_osquery_diff_results_that_are_not_lists(tmp_path: Path) -> None:
    """osquery.py:_rows iterated ``diffResults.added`` whatever its type (TypeError on 5)."""
    path = tmp_path / "osqueryd.results.log"
    path.write_text(
        '{"name": "pack_inventory_python_packages", "hostIdentifier": "h", '
        '"unixTime": 1774349000, "diffResults": {"added": 5, "removed": {"a": 1}}}\n'
    )
    records = OSQUERY.parse(path, ParseContext("osqueryd.results.log"))
    assert records.packages == []

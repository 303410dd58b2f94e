"""OSV advisory records among evidence are an informational note, not an error or a loss."""

from __future__ import annotations

import json
from pathlib import Path

from scoper.inputs import detect
from scoper.sources.advisories.osv_note import SOURCE
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[1] / "data"
RECORD = json.loads((DATA / "osv" / "MAL-2025-47141.json").read_text())


def test_single_record_is_detected_and_noted() -> None:
    path = DATA / "osv" / "MAL-2025-47141.json"
    assert detect(path).name == "osv-record"
    skipped = SOURCE.parse(path, ParseContext("r.json")).skipped
    assert [(s.informational, s.reason.split(":")[0]) for s in skipped] == [
        (True, "OSV advisory record(s) MAL-2025-47141")
    ]


def test_list_of_records_and_a_stray_value(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([RECORD, {**RECORD, "id": "MAL-X"}, {"id": "x"}], indent=1))
    assert detect(path).name == "osv-record"
    skipped = SOURCE.parse(path, ParseContext("feed.json")).skipped
    assert [(s.informational, s.reason[:40]) for s in skipped] == [
        (False, "1 JSON value(s) that are not OSV records"),
        (True, "OSV advisory record(s) MAL-2025-47141, M"),
    ]


def test_sniff_needs_id_modified_and_affected_or_schema() -> None:
    assert SOURCE.sniff(Path("a"), b'{"id": "GHSA-1", "modified": "2026", "schema_version": "1"}')
    assert not SOURCE.sniff(Path("a"), b'{"id": "GHSA-1", "modified": "2026"}')
    assert not SOURCE.sniff(Path("a"), b'{"id": "x", "affected": [], "published": "2026"}')

"""``scope --advisory all``: one row per advisory, the details of those with findings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from scoper import Store
from scoper.cli import app
from scoper.feeds.bundled import load_all
from scoper.scope.sweep import SweepStatus
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("fixtures/incident", "fixtures/incident-identities")


def _db(tmp_path: Path, *folders: str, now: datetime | None = None) -> str:
    db = str(tmp_path / "s.duckdb")
    with Store.open(Settings(db=db, now=now)) as store:
        store.ingest([ROOT / f for f in folders])
    return db


def _sweep(db: str, *extra: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(app, ["scope", "-a", "all", "--db", db, "-f", "json", *extra])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_sweep_over_the_incident_fixtures_rows_every_advisory(tmp_path: Path) -> None:
    db = _db(tmp_path, *FOLDERS)
    code, data, stderr = _sweep(db)
    rows = {r["advisory"]: r for r in data["sweep"]}  # type: ignore[attr-defined]
    assert set(rows) == {a.id for a in load_all()}
    litellm = rows["litellm-2025"]
    assert litellm["status"] == "exposed" and litellm["covered"] is True
    assert litellm["sessions"] > 0 and litellm["hosts"] > 0 and litellm["credentials"] > 0
    # the other advisories: nothing found, and said why the store cannot answer for them
    others = [r for name, r in rows.items() if name != "litellm-2025"]
    assert all(r["status"] in ("clear", "no-data") and r["sessions"] == 0 for r in others)
    npm = rows["chalk-debug-2025"]
    assert npm["status"] == "no-data" and npm["covered"] is False
    assert any("npm packages and the store holds none" in r for r in npm["reasons"])
    reports = data["reports"]  # type: ignore[index]
    assert [r["advisory"]["id"] for r in reports] == ["litellm-2025"]
    assert reports[0]["summary"]["sessions"] == litellm["sessions"]
    assert code == 1 and "lack the data they need" in stderr


def test_sweep_matches_single_scopes(tmp_path: Path) -> None:
    db = _db(tmp_path, "fixtures/incident-identities")
    with Store.open(Settings(db=db)) as store:
        swept = store.sweep(store.select("all"))
        single = store.scope("litellm-2025")
    (report,) = swept.reports
    assert report.sessions == single.sessions and report.credentials == single.credentials
    assert report.environments == single.environments
    exposed = [r.advisory for r in swept.rows if r.status is SweepStatus.EXPOSED]
    assert exposed == ["litellm-2025"]


def test_sweep_as_of_before_publication_rows_not_published(tmp_path: Path) -> None:
    db = _db(tmp_path, "fixtures/incident", now=datetime(2026, 3, 24, tzinfo=UTC))
    with Store.open(Settings(db=db)) as store:
        swept = store.sweep(store.select("all"), as_of=datetime(2026, 12, 31, tzinfo=UTC))
        # litellm-2025 was published at 2026-03-24T11:15:14Z (MAL-2026-2144)
        early = store.sweep(store.select("all"), as_of=datetime(2026, 3, 24, 11, tzinfo=UTC))
    assert any(r.status is SweepStatus.EXPOSED for r in swept.rows)
    row = next(r for r in early.rows if r.advisory == "litellm-2025")
    assert row.status is SweepStatus.NOT_PUBLISHED and "not published until" in row.reasons[0]
    assert not early.has_findings() and early.as_of is not None


def test_sweep_table_and_markdown(tmp_path: Path) -> None:
    db = _db(tmp_path, "fixtures/incident")
    runner = CliRunner()
    table = runner.invoke(app, ["scope", "-a", "all", "--db", db, "-f", "table"])
    assert table.exit_code == 1
    assert "Sweep: " in table.stdout and "litellm-2025" in table.stdout
    assert "Environments with a bad version" in table.stdout  # the details follow
    md = runner.invoke(app, ["scope", "-a", "all", "--db", db, "-f", "markdown"])
    assert md.stdout.startswith("# Sweep: ") and "# Exposure report: litellm-2025" in md.stdout
    assert "| chalk-debug-2025 | no-data |" in md.stdout
    csv = runner.invoke(app, ["scope", "-a", "all", "--db", db, "-f", "csv"])
    assert csv.exit_code == 2 and "one advisory at a time" in csv.stderr

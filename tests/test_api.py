"""scoper as a library: Settings built once, a Store used like sqlite-utils' Database."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scoper
from scoper.cli import app
from scoper.errors import StoreError, UsageError
from scoper.report.base import RenderOptions, Subject
from scoper.report.registry import require
from scoper.settings import DEFAULT_DB, Settings, parse_now

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
NOW = "2026-03-25T12:00:00Z"


def test_import_scoper_is_cheap_and_store_is_lazy() -> None:
    code = "import scoper, sys; assert 'duckdb' not in sys.modules; print(scoper.Store.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Store"


def test_settings_from_flags_then_environment_then_defaults(tmp_path: Path) -> None:
    env = {
        "SCOPER_DB": "env.duckdb",
        "SCOPER_FINGERPRINT_KEY": "k-secret-value",
        "SCOPER_CACHE": str(tmp_path / "c"),
        "SCOPER_NOW": NOW,
    }
    settings = Settings.from_env(env)
    assert settings.db == "env.duckdb"
    assert settings.cache_dir == tmp_path / "c"
    assert settings.now == datetime(2026, 3, 25, 12, tzinfo=UTC)
    assert settings.clock() == settings.now
    assert "k-secret-value" not in repr(settings)
    assert Settings.from_env(env, db="flag.duckdb").db == "flag.duckdb"
    assert Settings.from_env({}).db == DEFAULT_DB and Settings.from_env({}).now is None
    with pytest.raises(UsageError, match="RFC 3339"):
        parse_now("2026-03-25 12:00")  # no zone


def test_store_as_a_library_matches_the_golden_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    settings = Settings(db=str(tmp_path / "s.duckdb"), fingerprint_key="golden-test-key")
    with scoper.Store.open(settings) as store:
        summary = store.ingest([Path("fixtures/incident")])
        assert not summary.failed
        result = store.scope("litellm-2025")
        assert result.has_findings()
        out = io.StringIO()
        require("json", Subject.SCOPE).render(result, out, RenderOptions())
        assert out.getvalue() == (GOLDEN / "scope-incident.json").read_text()
        rows = store.sql("SELECT count(*) AS n FROM ingests")
        assert rows.columns == ("n",) and rows.rows[0][0] > 0
        assert store.check().advisories == tuple(a.id for a in store.advisories.all())
    assert [r.name for r in scoper.Store.report_formats()][:2] == ["table", "json"]
    assert any(s.name == "uv.lock" or s.kind == "lockfile" for s in scoper.Store.formats())


def test_sql_is_read_only_and_bad_queries_are_usage_errors(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "s.duckdb"))
    scoper.Store.open(settings).close()
    with scoper.Store.open(settings, read_only=True) as store:
        with pytest.raises(UsageError):
            store.sql("CREATE TABLE x (a INT)")
        with pytest.raises(UsageError):
            store.sql("SELEC 1")
    with pytest.raises(StoreError):
        scoper.Store.open(Settings(db=str(tmp_path / "missing.duckdb")), read_only=True)


def test_now_pins_ingest_stamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    db = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    ingested = runner.invoke(app, ["--now", NOW, "ingest", "fixtures/check", "--db", db])
    assert ingested.exit_code == 0, ingested.output
    query = (
        "SELECT DISTINCT ingested_at FROM ingests UNION SELECT applied_at FROM schema_migrations"
    )
    shown = runner.invoke(app, ["sql", query, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[1:] == ["2026-03-25 12:00:00"]
    bad = runner.invoke(app, ["--now", "yesterday", "ingest", "fixtures/check", "--db", db])
    assert bad.exit_code == 2 and "RFC 3339" in bad.stderr


def test_sql_and_formats_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["sql", "SELECT 1", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 3
    listed = runner.invoke(app, ["formats", "--reports"])
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [
        "table",
        "json",
        "csv",
        "markdown",
        "rotation",
        "sarif",
        "html",
        "junit",
    ]

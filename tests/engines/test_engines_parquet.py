"""Canonical Parquet: export every fixture incident, ingest it into a new store, and the
scope JSON is byte for byte the one of the original store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from engine_incidents import INCIDENTS, Incident, build, scope_json, settings

from scoper import api
from scoper.api_export import export_parquet
from scoper.engines import parquet
from scoper.errors import InputError


@pytest.mark.parametrize("incident", INCIDENTS, ids=lambda i: i.name)
def test_round_trip_gives_the_same_scope(incident: Incident, tmp_path: Path) -> None:
    original = build(incident, tmp_path / "a.duckdb")
    tables = export_parquet(tmp_path / "lake", settings(original))
    assert {t.name for t in tables} >= {"events", "sessions", "packages", "credentials"}
    summary = api.ingest([tmp_path / "lake"], settings=settings(tmp_path / "b.duckdb"))
    assert [r.status for r in summary.results] == ["ok"]
    assert summary.results[0].records == sum(t.rows for t in tables)
    before = scope_json(incident, original)
    assert json.loads(before)["summary"]["sessions"] > 0
    assert scope_json(incident, tmp_path / "b.duckdb") == before


def test_manifest_partitions_events_by_day(tmp_path: Path) -> None:
    db = build(INCIDENTS[0], tmp_path / "a.duckdb")
    export_parquet(tmp_path / "lake", settings(db))
    version, tables = parquet.read_manifest(tmp_path / "lake")
    assert version >= 6
    events = next(t for t in tables if t.name == "events")
    assert events.partition_by == ("day",)
    assert sorted(p.name for p in (tmp_path / "lake/events").iterdir()) == ["day=2026-03-24"]
    assert "meta" not in {t.name for t in tables}  # the fingerprint key stays in the store


def test_ingest_twice_is_refused_and_loads_nothing(tmp_path: Path) -> None:
    db = build(INCIDENTS[0], tmp_path / "a.duckdb")
    export_parquet(tmp_path / "lake", settings(db))
    again = api.ingest([tmp_path / "lake"], settings=settings(db))
    assert again.results[0].status == "error"
    assert "cannot load canonical Parquet" in (again.results[0].error or "")


def test_export_refuses_a_folder_with_files(tmp_path: Path) -> None:
    db = build(INCIDENTS[0], tmp_path / "a.duckdb")
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "x").write_text("x")
    with pytest.raises(InputError, match="not empty"):
        export_parquet(tmp_path / "lake", settings(db))


def test_a_foreign_manifest_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / parquet.MANIFEST).write_text('{"format": "other"}')
    with pytest.raises(InputError, match="not a scoper canonical Parquet manifest"):
        parquet.read_manifest(tmp_path)


def test_cli_export_then_spark_without_parquet_is_usage(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scoper.cli import app

    db = build(INCIDENTS[0], tmp_path / "a.duckdb")
    done = CliRunner().invoke(app, ["export", "--parquet", str(tmp_path / "lake"), "--db", str(db)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "lake" / parquet.MANIFEST).is_file()
    args = ["scope", "-a", "litellm-2025", "--engine", "spark", "--db", str(db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "--engine spark needs --parquet PATH" in result.output

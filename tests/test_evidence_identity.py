"""Evidence identity: an ingest is (content sha256, path, host); copies are not dropped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scoper import api
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.registry import get_source
from scoper.store.db import connect

ROOT = Path(__file__).resolve().parent.parent
FREEZE = "litellm==1.82.8\nrequests==2.32.3\n"
BAD_LOCK = (ROOT / "fixtures" / "check" / "bad-requirements.txt").read_text()


def _copies(folder: Path, name: str, text: str, count: int) -> list[Path]:
    paths = []
    for i in range(1, count + 1):
        path = folder / f"host{i}" / name
        path.parent.mkdir(parents=True)
        path.write_text(text)
        paths.append(path)
    return paths


def _cli(*args: str) -> Any:
    from scoper.cli import app

    return CliRunner().invoke(app, list(args))


def _scope(db: Path) -> dict[str, Any]:
    result = _cli("scope", "--advisory", "litellm-2025", "--db", str(db), "-f", "json")
    assert result.exit_code == 1, result.output  # findings
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _count(db: Path, sql: str) -> int:
    con = connect(db)
    try:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def test_three_hosts_identical_freeze_files_are_three_hosts(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    for i, path in enumerate(_copies(tmp_path, "pip-freeze.txt", FREEZE, 3), 1):
        result = _cli("ingest", str(path), "--host", f"host{i}", "--db", str(db))
        assert result.exit_code == 0, result.output
    data = _scope(db)
    assert {h["host"] for h in data["hosts"]} == {"host1", "host2", "host3"}
    envs = {(e["host"], e["version"]) for e in data["environments"]}
    assert envs == {("host1", "1.82.8"), ("host2", "1.82.8"), ("host3", "1.82.8")}


def test_copies_in_one_batch_each_keep_their_own_evidence(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    paths = _copies(tmp_path, "pip-freeze.txt", FREEZE, 3)
    result = _cli("ingest", *(str(p) for p in paths), "--db", str(db))
    assert result.exit_code == 0, result.output
    envs = _scope(db)["environments"]
    files = {ev["file"] for e in envs for ev in e["evidence"]}
    assert files == {str(p) for p in paths}
    # host-less, path-less environments are named by their file: three, not one
    assert sorted(e["environment"] for e in envs) == sorted(str(p) for p in paths)
    assert all(len(e["evidence"]) == 1 for e in envs)
    assert _count(db, "SELECT count(DISTINCT artifact_id) FROM artifacts") == 3
    assert _count(db, "SELECT count(DISTINCT artifact_id) FROM packages") == 3


def test_same_file_same_path_is_unchanged_but_another_host_is_new(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    (path,) = _copies(tmp_path, "pip-freeze.txt", FREEZE, 1)
    statuses = [api.ingest([path], db=db).results[0].status for _ in range(2)]
    assert statuses == ["ok", "unchanged"]
    assert api.ingest([path, path], db=db, host="a").results[1].status == "unchanged"
    assert api.ingest([path], db=db, host="b").results[0].status == "ok"
    assert api.ingest([path], db=db, host="a").results[0].status == "unchanged"
    con = connect(db)
    hosts = con.execute("SELECT host FROM ingests ORDER BY ingest_id").fetchall()
    assert hosts == [(None,), ("a",), ("b",)]
    assert con.execute("SELECT count(DISTINCT artifact_id) FROM artifacts").fetchone() == (3,)


def test_reingesting_everything_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    paths = _copies(tmp_path, "requirements.txt", BAD_LOCK, 4)
    first = api.ingest(paths, db=str(db))
    assert [r.status for r in first.results] == ["ok"] * 4
    before = _scope(db)
    again = api.ingest(paths, db=str(db))
    assert [r.status for r in again.results] == ["unchanged"] * 4
    assert _scope(db) == before
    assert _count(db, "SELECT count(*) FROM ingests") == 4


def test_a_log_naming_its_host_keeps_it_and_host_fills_in_the_rest(tmp_path: Path) -> None:
    text = (ROOT / "fixtures" / "incident-native" / "dev-bob" / "audit.log").read_text()
    paths = _copies(tmp_path, "audit.log", text, 3)
    paths[2].write_text(text.replace("node=dev-bob ", ""))
    summary = api.ingest(paths, db=str(tmp_path / "s.duckdb"), host="fallback", workers=1)
    assert [r.status for r in summary.results] == ["ok"] * 3
    con = connect(tmp_path / "s.duckdb")
    hosts = con.execute(
        "SELECT i.path, list(DISTINCT e.host), count(*) FROM events AS e "
        "JOIN ingests AS i USING (ingest_id) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    (a, a_hosts, a_count), (b, b_hosts, b_count), (c, c_hosts, c_count) = hosts
    assert (a_hosts, b_hosts, c_hosts) == (["dev-bob"], ["dev-bob"], ["fallback"])
    assert a_count == b_count == c_count > 0
    assert (a, b, c) == tuple(str(p) for p in paths)


def test_copies_are_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = get_source("requirements.txt")
    calls: list[str] = []
    parse = type(source).parse

    def counting(self: object, path: Path, ctx: ParseContext) -> Records:
        calls.append(ctx.display)
        return parse(source, path, ctx)

    monkeypatch.setattr(type(source), "parse", counting)
    paths = _copies(tmp_path, "requirements.txt", BAD_LOCK, 4)
    summary = api.ingest(paths, db=str(tmp_path / "s.duckdb"), workers=1)
    assert [r.status for r in summary.results] == ["ok"] * 4
    assert calls == [str(paths[0])]
    con = connect(tmp_path / "s.duckdb")
    files = con.execute("SELECT DISTINCT source_file FROM packages ORDER BY 1").fetchall()
    assert files == [(str(p),) for p in paths]


def test_copies_with_includes_are_parsed_each(tmp_path: Path) -> None:
    paths = _copies(tmp_path, "requirements.txt", "-r base.txt\n", 2)
    (paths[0].parent / "base.txt").write_text("litellm==1.82.8\n")
    (paths[1].parent / "base.txt").write_text("litellm==1.82.6\n")
    api.ingest(paths, db=str(tmp_path / "s.duckdb"), workers=1)
    con = connect(tmp_path / "s.duckdb")
    rows = con.execute("SELECT source_file, version FROM packages ORDER BY 1").fetchall()
    assert rows == [
        (str(paths[0].parent / "base.txt"), "1.82.8"),
        (str(paths[1].parent / "base.txt"), "1.82.6"),
    ]


def test_a_log_read_with_the_file_beside_it_is_parsed_per_copy(tmp_path: Path) -> None:
    ci = ROOT / "fixtures" / "incident-native" / "ci"
    paths = _copies(tmp_path, "build.log", (ci / "build.log").read_text(), 2)
    (paths[0].parent / "build.log.json").write_text((ci / "build.log.json").read_text())
    api.ingest(paths, db=str(tmp_path / "s.duckdb"), workers=1)
    con = connect(tmp_path / "s.duckdb")
    sessions = con.execute("SELECT DISTINCT session_id FROM sessions ORDER BY 1").fetchall()
    assert sessions[0] == ("github:acme/svc/runs/23480118812/attempts/1/jobs/68211471177",)
    # the second has no job JSON: its id is qualified by its own content
    assert len(sessions) == 2 and sessions[1][0].startswith(
        "github:unknown/unknown/runs/unknown/attempts/unknown/jobs/build/evidence/"
    )


def test_conda_records_copied_into_two_environments_keep_their_own(tmp_path: Path) -> None:
    meta = ROOT / "tests" / "data" / "conda" / "env" / "conda-meta" / "idna-3.4-pyhd8ed1ab_0.json"
    paths = []
    for env in ("env1", "env2"):
        path = tmp_path / env / "conda-meta" / meta.name
        path.parent.mkdir(parents=True)
        path.write_bytes(meta.read_bytes())
        paths.append(path)
    api.ingest(paths, db=str(tmp_path / "s.duckdb"), workers=1)
    con = connect(tmp_path / "s.duckdb")
    envs = con.execute("SELECT environment FROM artifacts ORDER BY 1").fetchall()
    assert envs == [(str(tmp_path / "env1"),), (str(tmp_path / "env2"),)]


def test_check_reports_every_copy_of_a_bad_lockfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _copies(Path(), "requirements.txt", BAD_LOCK, 4)
    paths = [f"host{i}/requirements.txt" for i in range(1, 5)]
    result = _cli("check", *paths, "-f", "json")
    assert result.exit_code == 1, result.output
    assert sorted(f["file"] for f in json.loads(result.stdout)["findings"]) == paths
    sarif = _cli("check", *paths, "-f", "sarif")
    assert sarif.exit_code == 1, sarif.output
    locations = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in json.loads(sarif.stdout)["runs"][0]["results"]
        for loc in res["locations"]
    ]
    assert sorted(locations) == paths

"""Crash safety: an ingest killed mid-way leaves every file either absent or whole.

``scoper ingest`` runs in a subprocess and is SIGKILLed right after its first file is
committed (the store's write-ahead log appears), before most files are in. The store
must open; each file in it must hold exactly what a clean ingest gives it (no half-written
ingest, no row of an unrecorded ingest); a rerun must give the same scope report as one
clean ingest. Wherever the kill lands, these must hold."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from scoper.store.db import connect

ROOT = Path(__file__).resolve().parent.parent
FILES = 20
KEY = "crash-test-key"
COUNTED = (  # what ingests.records counts for a parsed file
    "artifacts",
    "packages",
    "artifact_files",
    "sessions",
    "events",
    "credentials",
    "credential_uses",
)
TABLES = (*COUNTED, "package_hashes", "skipped")
INPUTS = ("incident", "svc", "copies")
COMMAND = (sys.executable, "-m", "scoper", "ingest", *INPUTS)


def _inputs(folder: Path) -> None:
    """The sample incident, many small lockfiles (some bad) and copies of one of them."""
    shutil.copytree(ROOT / "fixtures" / "incident", folder / "incident")
    for i in range(FILES):
        path = folder / "svc" / f"s{i:03d}" / "requirements.txt"
        path.parent.mkdir(parents=True)
        litellm = "1.82.8" if i % 10 == 0 else f"1.80.{i % 7}"
        path.write_text(f"litellm=={litellm}\nrequests==2.{i}.0\nidna==3.{i % 10}\n")
    for i in range(3):
        copy = folder / "copies" / f"host{i}" / "requirements.txt"
        copy.parent.mkdir(parents=True)
        copy.write_text("litellm==1.82.8\n")


def _env() -> dict[str, str]:
    return {**os.environ, "SCOPER_FINGERPRINT_KEY": KEY, "PYTHONPATH": str(ROOT)}


def _ingest_killed(folder: Path, db: Path) -> None:
    """Start ``scoper ingest`` and SIGKILL it (and its workers) after its first commit."""
    connect(db).close()  # migrated and checkpointed: the log appears with the first ingest
    wal = db.with_name(db.name + ".wal")
    proc = subprocess.Popen(
        [*COMMAND, "--db", str(db)],
        cwd=folder,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > 0:
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _per_ingest(con: duckdb.DuckDBPyConnection, table: str) -> dict[int, int]:
    rows = con.execute(f"SELECT ingest_id, count(*) FROM {table} GROUP BY 1").fetchall()
    return {int(i): int(n) for i, n in rows}


def _shape(db: Path) -> dict[str, tuple[object, ...]]:
    """Each ingested path's format, recorded counts and rows per table.

    Asserts that no row belongs to an unrecorded ingest and that, for files parsed in
    Python, ``ingests.records`` is exactly the rows they own.
    """
    con = connect(db)
    try:
        ingests = con.execute("SELECT ingest_id, path, format, records, skipped FROM ingests")
        recorded = {int(row[0]): row[1:] for row in ingests.fetchall()}
        tables = {t: _per_ingest(con, t) for t in TABLES}
    finally:
        con.close()
    for table, counts in tables.items():
        assert set(counts) <= set(recorded), f"{table} holds rows of an unrecorded ingest"
    shape = {}
    for ingest_id, (path, fmt, records, skipped) in recorded.items():
        rows = tuple(tables[t].get(ingest_id, 0) for t in TABLES)
        if fmt != "scoper-events":  # a bulk load counts input lines, not rows
            assert sum(rows[: len(COUNTED)]) == records, f"{path}: half written"
        shape[str(path)] = (fmt, records, skipped, rows)
    return shape


def _scope_json(db: Path) -> object:
    from scoper.cli import app

    result = CliRunner().invoke(app, ["scope", "-a", "litellm-2025", "--db", str(db), "-f", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_killed_ingest_leaves_whole_files_and_a_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    _inputs(folder)
    clean = tmp_path / "clean.duckdb"
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SCOPER_FINGERPRINT_KEY", KEY)
    from scoper import api

    assert not api.ingest([Path(n) for n in INPUTS], db=str(clean), workers=1).failed
    whole = _shape(clean)
    db = tmp_path / "killed.duckdb"
    _ingest_killed(folder, db)
    killed = _shape(db)  # the store opens; each file is absent or exactly as a clean ingest
    assert all(whole[path] == shape for path, shape in killed.items())
    rerun = api.ingest([Path(n) for n in INPUTS], db=str(db), workers=1)
    assert not rerun.failed
    assert {r.status for r in rerun.results[: len(killed)]} <= {"unchanged", "ignored"}
    assert _shape(db) == whole
    assert _scope_json(db) == _scope_json(clean)

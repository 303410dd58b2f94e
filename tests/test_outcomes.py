"""Clear outcomes: a busy store waits then exits 5, symlink loops are walked once,
progress lines off a terminal."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper import api
from scoper.cli import app
from scoper.errors import ExitCode, StoreBusyError
from scoper.ingest import FileResult
from scoper.inputs import iter_inputs
from scoper.progress import ProgressLines
from scoper.settings import Settings
from scoper.store.db import connect

FREEZE = Path(__file__).parent / "data" / "pip_freeze" / "pip-freeze.txt"
HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "print('held', flush=True); time.sleep(60)"
)


@pytest.fixture()
def held(tmp_path: Path) -> Iterator[Path]:
    """A store whose write lock another process holds."""
    db = tmp_path / "busy.duckdb"
    connect(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        yield db
    finally:
        holder.kill()
        holder.wait()


def test_a_busy_store_waits_then_raises_store_busy(held: Path) -> None:
    told: list[str] = []
    started = time.monotonic()
    with pytest.raises(StoreBusyError) as caught:
        connect(held, wait=0.5, on_busy=told.append)
    assert time.monotonic() - started >= 0.5
    assert caught.value.exit_code == ExitCode.BUSY == 5
    assert told == [f"{held}: store busy, waiting up to 0.5 s..."]


def test_a_store_freed_while_waiting_is_opened(tmp_path: Path) -> None:
    db = tmp_path / "later.duckdb"
    connect(db).close()
    hold = HOLD.replace("time.sleep(60)", "time.sleep(0.5)")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(db)], stdout=subprocess.PIPE)
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
    try:
        summary = api.ingest([FREEZE], settings=Settings(db=str(db), wait=20))
    finally:
        holder.wait()
    assert [r.status for r in summary.results] == ["ok"]


def test_ingest_into_a_busy_store_exits_5_not_3(held: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(FREEZE), "--db", str(held), "--wait", "0.3"])
    assert result.exit_code == 5, result.output
    assert "store busy, waiting" in result.output
    assert "Traceback" not in result.output


def test_a_symlink_loop_is_walked_once_and_noted_once(tmp_path: Path) -> None:
    top = tmp_path / "evidence"
    (top / "inner").mkdir(parents=True)
    (top / "inner" / "pip-freeze.txt").write_bytes(FREEZE.read_bytes())
    (top / "inner" / "loop").symlink_to(top, target_is_directory=True)
    (top / "again").symlink_to(top / "inner", target_is_directory=True)
    notes: list[tuple[Path, str]] = []
    found = [p for p, _ in iter_inputs([top], notes)]
    assert found == [top / "again" / "pip-freeze.txt"]  # "again" sorts before "inner"
    assert [p for p, _ in notes] == [top / "again" / "loop", top / "inner"]
    assert all("already walked" in n for _, n in notes)
    summary = api.ingest([top], settings=Settings(db=":memory:"))
    statuses = sorted(r.status for r in summary.results)
    assert statuses == ["note", "note", "ok"]
    assert not summary.failed


def test_progress_lines_every_n_files_and_at_the_end() -> None:
    written: list[str] = []
    ticks = iter(range(100))
    lines = ProgressLines(
        written.append, every_files=2, every_seconds=50, clock=lambda: next(ticks)
    )
    lines.start(5)
    for status in ("ok", "error", "ok", "unknown", "ok"):
        lines(FileResult("f", None, status))
    assert written == [
        "ingest: 2/5 files, 1 errors",
        "ingest: 4/5 files, 2 errors",
        "ingest: 5/5 files, 2 errors",
    ]


def test_ingest_off_a_terminal_prints_progress_lines(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(FREEZE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "ingest: 1/1 files, 0 errors" in result.output

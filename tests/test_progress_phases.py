"""Progress of scope's phases: periodic plain lines off a terminal, a spinner on one,
always on stderr (the report on stdout stays clean)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import scoper
from scoper.cli import app
from scoper.ingest import FileResult
from scoper.progress import PhaseLines, file_progress, phases
from scoper.scope.chain import STEPS, VIEWS
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_phase_lines_are_periodic_and_end_with_the_duration() -> None:
    written: list[str] = []
    times = iter([0.0, 1.0, 6.0, 7.0, 13.5, 14.0, 20.0])
    lines = PhaseLines(written.append, total=5, every_seconds=5, clock=lambda: next(times))
    for phase in ("prepare", "env", "links", "sessions", "coverage"):
        lines(phase)
    lines.close()
    assert written == [
        "scope: 6 s, now env (2/5)",
        "scope: 14 s, now sessions (4/5)",
        "scope: done in 20.0 s",
    ]


def test_a_quick_run_prints_no_progress() -> None:
    written: list[str] = []
    lines = PhaseLines(written.append, every_seconds=5, clock=lambda: 1.0)
    for phase in ("a", "b", "c"):
        lines(phase)
    lines.close()
    assert written == []


def test_phases_off_a_terminal_write_plain_lines_to_the_console() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=80)
    with phases(console, "scope", every_seconds=0) as on_phase:
        on_phase("env")
        on_phase("links")
    text = buffer.getvalue().splitlines()
    assert text[0].startswith("scope: ") and text[0].endswith("now env (1)")
    assert text[1].endswith("now links (2)") and text[2].startswith("scope: done in ")
    assert "\x1b" not in buffer.getvalue()  # no terminal control codes in a log


def test_phases_on_a_terminal_use_a_transient_spinner() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with phases(console, "scope", every_seconds=0) as on_phase:
        on_phase("env")
    assert "done in" not in buffer.getvalue()  # the spinner, not the log lines


def test_scope_tells_every_phase_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    settings = Settings(db=str(tmp_path / "s.duckdb"), fingerprint_key="k")
    told: list[str] = []
    with scoper.Store.open(settings) as store:
        store.ingest([Path("fixtures/incident")])
        store.scope("litellm-2025", on_phase=told.append)
    assert told == [
        VIEWS.name,
        "bad versions among the store's packages",
        *(step.name for step in STEPS),
        "credential identities and their uses",
        "coverage of the store for the advisory",
    ]


def test_scope_cli_writes_progress_to_stderr_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("scoper.progress.EVERY_SECONDS", 0.0)
    db = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "fixtures/incident", "--db", db]).exit_code == 0
    done = runner.invoke(app, ["scope", "-a", "litellm-2025", "--db", db, "-f", "json"])
    assert done.exit_code == 1
    assert json.loads(done.stdout)["summary"]["sessions"] == 5
    assert "scope:" not in done.stdout
    assert "now env" not in done.stdout
    progress = [line for line in done.stderr.splitlines() if line.startswith("scope: ")]
    assert any("now exposed sessions" in line for line in progress), done.stderr
    assert progress[-1].startswith("scope: done in ")


def test_file_progress_off_a_terminal_writes_counted_lines() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=80)
    with file_progress(console) as (advance, start):
        start(2)
        advance(FileResult("a.jsonl", "jsonl", "ok"))
        advance(FileResult("b.jsonl", None, "error"))
    assert buffer.getvalue().splitlines()[-1] == "ingest: 2/2 files, 1 errors"


def test_file_progress_on_a_terminal_draws_a_bar_and_no_log_lines() -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    with file_progress(console) as (advance, start):
        start(1)
        advance(FileResult("a.jsonl", "jsonl", "ok"))
    assert "ingest: 1/1" not in buffer.getvalue()

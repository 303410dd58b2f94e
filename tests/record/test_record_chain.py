"""Trail hash chain: editing, deleting or moving one line breaks verify at that line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.ingest import Ingester
from scoper.record.chain import seal
from scoper.record.trail import Trail
from scoper.record.verify import verify_file
from scoper.scope.trails import trail_warnings
from scoper.store.db import connect

EVENTS = 6  # + the header: 7 lines


def _trail(path: Path, key: bytes | None = None) -> list[str]:
    trail = Trail(str(path), "h1", sign_key=key)
    for n in range(EVENTS):
        event = {"ts": f"2026-03-24T11:00:0{n}Z", "event": "exec", "session": "s1"}
        assert trail.write([{**event, "program": f"prog{n}"}])
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def test_an_untouched_trail_verifies(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    verdict = verify_file(path, None)
    assert verdict.intact and verdict.lines == len(lines) == EVENTS + 1
    assert not verdict.signed


@pytest.mark.parametrize("number", range(1, EVENTS + 2))
def test_editing_one_line_breaks_at_that_line(tmp_path: Path, number: int) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    lines[number - 1] = lines[number - 1].replace('"h1"', '"h2"').replace("prog", "evil")
    _write(path, lines)
    verdict = verify_file(path, None)
    assert (verdict.broken_at, verdict.reason) == (number, verdict.reason)
    assert "changed" in str(verdict.reason)


@pytest.mark.parametrize("number", range(1, EVENTS + 1))
def test_deleting_one_line_breaks_where_it_was(tmp_path: Path, number: int) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    del lines[number - 1]
    _write(path, lines)
    assert verify_file(path, None).broken_at == number


@pytest.mark.parametrize("number", range(1, EVENTS + 1))
def test_swapping_two_lines_breaks_at_the_first(tmp_path: Path, number: int) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    lines[number - 1], lines[number] = lines[number], lines[number - 1]
    _write(path, lines)
    assert verify_file(path, None).broken_at == number


def test_a_rewritten_chain_passes_without_the_key_but_not_with_it(tmp_path: Path) -> None:
    key = b"host-key-0123456789"
    path = tmp_path / "t.jsonl"
    lines = _trail(path, key)
    assert verify_file(path, key).macs_checked
    # an attacker without the key edits line 4 and re-hashes every line after it
    forged, prev = lines[:3], json.loads(lines[2])["hash"]
    for text in lines[3:]:
        event = json.loads(text)
        event["program"] = "evil"
        line, prev = seal(event, prev, None)
        mac = json.loads(text)["mac"]
        forged.append(line[:-1] + f',"mac":"{mac}"}}')
    _write(path, forged)
    assert verify_file(path, None).intact  # the chain alone can be recomputed
    verdict = verify_file(path, key)
    assert (verdict.broken_at, verdict.reason) == (4, "the MAC does not match")
    wrong = verify_file(path, b"another-key")
    assert (wrong.broken_at, wrong.reason) == (1, "signed with another key than the one given")


def test_trail_verify_names_the_line_and_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    runner = CliRunner()
    ok = runner.invoke(app, ["trail", "verify", str(path)])
    assert ok.exit_code == 0 and f"{path}: ok, 7 lines (unsigned)" in ok.stdout
    del lines[3]
    _write(path, lines)
    broken = runner.invoke(app, ["trail", "verify", str(path)])
    assert broken.exit_code == 3
    assert f"{path}:4: the chain breaks here" in broken.stdout


def test_ingest_marks_a_broken_trail_and_scope_warns(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    lines = _trail(path)
    lines[4] = lines[4].replace("prog3", "prog9")
    _write(path, lines)
    con = connect(":memory:")
    result = Ingester(con).ingest(path)
    assert result.status == "partial"
    assert result.skipped_reasons == [
        f"{path}: line 5: trail chain breaks: the line was changed (its hash does not match "
        "its text); evidence from this line on is not trusted as recorded"
    ]
    assert con.execute("SELECT source_line FROM trail_breaks").fetchall() == [(5,)]
    assert con.execute("SELECT count(*) FROM events").fetchone() == (EVENTS,)  # kept, marked
    assert trail_warnings(con) == [
        f"trail {path}: the hash chain breaks at line 5 (the line was changed (its hash does "
        "not match its text)); its evidence from that line on is not trusted as recorded"
    ]


def test_an_intact_trail_ingests_ok(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _trail(path)
    con = connect(":memory:")
    assert Ingester(con).ingest(path).status == "ok"
    assert con.execute("SELECT count(*) FROM trail_breaks").fetchone() == (0,)
    assert hashlib.sha256(path.read_bytes()).hexdigest()  # the file is left as it was

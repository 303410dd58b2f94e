"""JSON nested 100k levels deep (and other parser-limit inputs): exit 3 with ``file: message``.

It used to end ``scoper ingest``, ``scoper check`` and ``--advisories`` with a
RecursionError traceback and exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.errors import AdvisoryError
from scoper.feeds import osv
from scoper.sources.audit.events_jsonl import SOURCE as EVENTS

DEPTH = 100_000
DEEP = "[" * DEPTH + "]" * DEPTH
GOOD = Path(__file__).resolve().parents[2] / "fixtures" / "check" / "good-requirements.txt"


def _lockfile(tmp_path: Path) -> Path:
    path = tmp_path / "package-lock.json"
    path.write_text('{\n  "lockfileVersion": 3,\n  "packages": ' + DEEP + "\n}\n")
    return path


@pytest.mark.parametrize("command", [["check"], ["ingest", "--db", ":memory:"]])
def test_deep_lockfile_exits_3_naming_the_file(tmp_path: Path, command: list[str]) -> None:
    path = _lockfile(tmp_path)
    result = CliRunner().invoke(app, [*command, str(path)])
    assert result.exit_code == 3, result.output
    assert f"{path}: invalid JSON" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"id": "X", "affected": ' + DEEP + "}", "invalid JSON: nested too deeply"),
        ('{"id": "X", "modified": ' + "9" * 5000 + "}", "invalid JSON: Exceeds the limit"),
    ],
    ids=["deep", "huge-integer"],
)
def test_osv_advisory_beyond_parser_limits_is_an_advisory_error(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "osv.json"
    path.write_text(body)
    with pytest.raises(AdvisoryError, match=f"{path}: {message}"):
        osv.load(path)
    result = CliRunner().invoke(app, ["check", "--advisories", str(path), str(GOOD)])
    assert result.exit_code == 3, result.output
    assert f"{path}: {message}" in result.output


def test_bare_deep_array_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP)
    result = CliRunner().invoke(app, ["check", str(path)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 3, result.output


def test_events_sniff_on_a_list_event_says_no(tmp_path: Path) -> None:
    head = b'{"event": ["install"], "ts": "2026-03-24T10:00:00Z"}\n'
    path = tmp_path / "events.jsonl"
    path.write_bytes(head)
    assert EVENTS.sniff(path, head) is False

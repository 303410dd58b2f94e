"""Never a silent pass: missing, empty or uncovering inputs are said, with an exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scoper import api
from scoper.cli import app

ROOT = Path(__file__).resolve().parent.parent
WITHDRAWN = ROOT / "tests" / "data" / "osv" / "MAL-2026-4377-withdrawn.json"
OLD_EVENTS = (
    '{"ts":"2025-01-01T10:00:00Z","event":"session_start","session":"s1","host":"h1"}\n'
    '{"ts":"2025-01-01T10:05:00Z","event":"exec","session":"s1","host":"h1",'
    '"command":"python app.py"}\n'
)
NPM_LOCK = {
    "name": "app",
    "lockfileVersion": 3,
    "packages": {"": {"name": "app"}, "node_modules/@ctrl/plex": {"version": "6.0.0"}},
}


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _ingest(db: Path, *paths: Path, code: int = 0, fmt: str | None = None) -> None:
    extra = ["--format", fmt] if fmt else []
    result = _cli("ingest", *map(str, paths), "--db", str(db), *extra)
    assert result.exit_code == code, result.output


# --- check: missing includes, empty inputs, prose-only folders -----------------------


def test_check_fails_on_a_missing_include_even_with_allow_empty(tmp_path: Path) -> None:
    req = _write(tmp_path / "requirements.txt", "-r base.txt\nrequests==2.32.3\n")
    for extra in ([], ["--allow-empty"]):
        result = _cli("check", str(req), "-f", "json", *extra)
        assert result.exit_code == 3, result.output
        assert "base.txt" in result.stderr and "not found" in result.stderr
        assert str(req) in result.stderr


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({}, "empty folder, no input files found"),
        ({"README.md": "# notes\n"}, "only documentation (README.md)"),
    ],
)
def test_check_fails_on_a_folder_with_nothing_to_read(
    tmp_path: Path, files: dict[str, str], said: str
) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    for name, text in files.items():
        _write(folder / name, text)
    result = _cli("check", str(folder))
    assert result.exit_code == 3, result.output
    assert str(folder) in result.stderr and said in result.stderr
    assert _cli("check", str(folder), "--allow-empty").exit_code == 0


def test_check_fails_on_a_file_with_no_package_records(tmp_path: Path) -> None:
    req = _write(tmp_path / "requirements.txt", "# nothing pinned yet\n")
    result = _cli("check", str(req))
    assert result.exit_code == 3, result.output
    assert f"{req}: empty input, no package records" in result.stderr
    assert _cli("check", str(req), "--allow-empty").exit_code == 0


def test_check_api_reports_the_gaps(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    good = _write(tmp_path / "requirements.txt", "requests==2.32.3\n")
    summary, result = api.check([good, tmp_path / "empty"])
    assert summary.input_errors == [f"{tmp_path / 'empty'}: empty folder, no input files found"]
    assert not result.findings
    summary, _ = api.check([good, tmp_path / "empty"], allow_empty=True)
    assert summary.input_errors == []


# --- ingest and scope: empty inputs, empty stores --------------------------------------


def test_an_empty_forced_file_is_reported_and_ingest_exits_3(tmp_path: Path) -> None:
    empty = _write(tmp_path / "events.jsonl", "")
    result = _cli("ingest", str(empty), "--format", "scoper-events", "--db", str(tmp_path / "s"))
    assert result.exit_code == 3, result.output
    assert f"{empty}: empty input, no records" in result.stderr
    (only,) = api.ingest([empty], fmt="scoper-events", db=str(tmp_path / "t")).results
    assert (only.status, only.records) == ("empty", 0)


def test_scope_over_a_store_with_no_records_exits_4(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, _write(tmp_path / "events.jsonl", ""), code=3, fmt="scoper-events")
    result = _cli("scope", "--advisory", "litellm-2025", "--db", str(db), "-f", "json")
    assert result.exit_code == 4, result.output
    assert "the store holds no records" in result.stderr


# --- coverage ---------------------------------------------------------------------------


def _scope_json(db: Path, advisory: str, code: int, *extra: str) -> dict[str, Any]:
    result = _cli("scope", "--advisory", advisory, "--db", str(db), "-f", "json", *extra)
    assert result.exit_code == code, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_an_npm_advisory_over_a_pypi_store_is_not_covered(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, _write(tmp_path / "pip-freeze.txt", "requests==2.32.3\n"))
    data = _scope_json(db, "nx-2025", 4)
    cover = data["coverage"]
    assert cover["covered"] is False and cover["missing_ecosystems"] == ["npm"]
    assert cover["ecosystems"] == {"PyPI": 1} and cover["files"] == 1
    assert any("npm" in w for w in data["warnings"])


def test_events_outside_the_live_window_do_not_cover_it(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    freeze = _write(tmp_path / "pip-freeze.txt", "requests==2.32.3\n")
    _ingest(db, freeze, _write(tmp_path / "events.jsonl", OLD_EVENTS))
    data = _scope_json(db, "litellm-2025", 4)
    cover = data["coverage"]
    assert (cover["covered"], cover["window_covered"], cover["missing_ecosystems"]) == (
        False,
        False,
        [],
    )
    assert cover["events"] == {  # the session start is a session, not an event
        "count": 1,
        "first": "2025-01-01T10:05:00Z",
        "last": "2025-01-01T10:05:00Z",
    }
    assert (cover["hosts"], cover["sessions"]) == (1, 1)
    assert any("live window" in w for w in data["warnings"])
    table = _cli("scope", "--advisory", "litellm-2025", "--db", str(db), "-f", "table")
    assert table.exit_code == 4 and "NOT covered" in table.stdout
    args = ["--db", str(db), "-f", "csv", "--entity", "coverage"]
    rows = _cli("scope", "--advisory", "litellm-2025", *args).stdout.splitlines()
    assert rows[:3] == [
        "entity,key,value",
        "coverage,covered,False",
        "coverage,window_covered,False",
    ]
    assert "coverage,ecosystem:PyPI,1" in rows


def test_a_found_exposure_still_exits_1_when_the_window_is_not_covered(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _ingest(db, _write(tmp_path / "pip-freeze.txt", "litellm==1.82.8\n"))
    data = _scope_json(db, "litellm-2025", 1)
    assert data["coverage"]["window_covered"] is False and data["environments"]


def test_check_carries_coverage(tmp_path: Path) -> None:
    req = _write(tmp_path / "requirements.txt", "requests==2.32.3\n")
    result = _cli("check", str(req), "-a", "nx-2025", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["coverage"]["covered"] is False
    assert data["coverage"]["missing_ecosystems"] == ["npm"]
    assert any("no npm packages in the inputs" in w for w in data["warnings"])
    covered = json.loads(_cli("check", str(req), "-f", "json").stdout)["coverage"]
    assert covered["covered"] is True and covered["ecosystems"] == {"PyPI": 1}


# --- advisory data -----------------------------------------------------------------------


def test_advisories_pointing_at_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "osv").mkdir()
    req = _write(tmp_path / "requirements.txt", "requests==2.32.3\n")
    result = _cli("check", str(req), "--advisories", str(tmp_path / "osv"))
    assert result.exit_code == 3, result.output
    assert "no OSV advisories found" in result.stderr


def test_a_withdrawn_advisory_is_said_and_does_not_fail_check(tmp_path: Path) -> None:
    lock = _write(tmp_path / "package-lock.json", json.dumps(NPM_LOCK))
    args = ["--advisories", str(WITHDRAWN), "-a", "MAL-2026-4377"]
    result = _cli("check", str(lock), *args, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(f["package"], f["fails"]) for f in data["findings"]] == [("@ctrl/plex", False)]
    assert data["withdrawn"] == ["MAL-2026-4377"] and data["passed"] is True
    assert any("withdrawn" in w for w in data["warnings"])
    db = tmp_path / "s.duckdb"
    _ingest(db, lock)
    scoped = _scope_json(db, "MAL-2026-4377", 1, "--advisories", str(WITHDRAWN))
    assert scoped["advisory"]["withdrawn"] == "2026-05-26T17:12:48Z"
    assert any("withdrawn" in w for w in scoped["warnings"])

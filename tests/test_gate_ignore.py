"""The gate's ignore file: reasons required, expiry fails, unused entries reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scoper import api
from scoper.errors import ExitCode, InputError
from scoper.scope import check_ignore

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "check" / "bad-requirements.txt"
TODAY = date(2026, 12, 2)


def _checked(tmp_path: Path, toml: str, name: str = ".scoper-ignore.toml"):  # type: ignore[no-untyped-def]
    req = tmp_path / "requirements.txt"
    req.write_text(FIXTURE.read_text())
    (tmp_path / name).write_text(toml)
    _, result = api.check([req])
    found = check_ignore.find([req])
    assert found == tmp_path / name
    entries = check_ignore.load(found)
    return check_ignore.apply(result, entries, api.advisories(), TODAY)


def test_an_alias_entry_hides_the_finding(tmp_path: Path) -> None:
    out = _checked(
        tmp_path,
        '[[ignore]]\nid = "MAL-2026-2144"\npackage = "LiteLLM"\nreason = "vendored, audited"\n'
        "expires = 2027-01-01\n",
    )
    assert [f.advisory for f in out.ignored] == ["litellm-2025"]
    assert out.result.failing() == ()
    assert out.expired == () and out.unused == ()


def test_an_expired_entry_fails_and_hides_nothing(tmp_path: Path) -> None:
    out = _checked(
        tmp_path, '[[ignore]]\nid = "litellm-2025"\nreason = "x"\nexpires = 2026-11-30\n'
    )
    assert out.ignored == ()
    assert [f.advisory for f in out.result.failing()] == ["litellm-2025"]
    assert [e.advisory for e in out.expired] == ["litellm-2025"]
    assert out.messages()[0].startswith("expired ignore entry ")
    assert "2026-11-30" in out.messages()[0]


def test_unused_entries_are_reported(tmp_path: Path) -> None:
    out = _checked(tmp_path, '[[ignore]]\nid = "nx-2025"\nreason = "not ours"\n')
    assert [e.advisory for e in out.unused] == ["nx-2025"]
    assert out.messages() == (
        f"unused ignore entry {tmp_path / '.scoper-ignore.toml'}: ignore[1] (nx-2025)",
    )


def test_pyproject_tool_scoper_table(tmp_path: Path) -> None:
    out = _checked(
        tmp_path,
        '[project]\nname = "x"\n[[tool.scoper.ignore]]\nalias = "PYSEC-2026-2"\nreason = "ok"\n',
        "pyproject.toml",
    )
    assert [f.package for f in out.ignored] == ["litellm"]


def test_a_missing_reason_is_exit_3_naming_file_and_entry(tmp_path: Path) -> None:
    path = tmp_path / ".scoper-ignore.toml"
    path.write_text('[[ignore]]\nid = "a"\nreason = "r"\n[[ignore]]\nid = "nx-2025"\n')
    with pytest.raises(InputError) as exc:
        check_ignore.load(path)
    assert exc.value.exit_code == ExitCode.INPUT
    assert f"{path}: ignore[2]" in str(exc.value) and "nx-2025" in str(exc.value)
    assert "reason" in str(exc.value)


def test_explicit_ignore_file_wins(tmp_path: Path) -> None:
    chosen = tmp_path / "mine.toml"
    assert check_ignore.find([FIXTURE], chosen) == chosen


def test_cli_expired_entry_fails_and_says_so(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scoper.cli import app

    req = tmp_path / "requirements.txt"
    req.write_text(FIXTURE.read_text())
    (tmp_path / ".scoper-ignore.toml").write_text(
        '[[ignore]]\nid = "litellm-2025"\nreason = "x"\nexpires = 2026-11-30\n'
        '[[ignore]]\nid = "nx-2025"\nreason = "y"\n'
    )
    run = CliRunner().invoke(
        app, ["--now", "2026-12-02T00:00:00Z", "check", str(req), "-f", "json"]
    )
    assert run.exit_code == 1
    assert "expired ignore entry" in run.stderr and "unused ignore entry" in run.stderr
    run = CliRunner().invoke(
        app, ["--now", "2026-11-01T00:00:00Z", "check", str(req), "-f", "json"]
    )
    assert run.exit_code == 0, run.stderr
    assert "ignored litellm-2025 for litellm 1.82.8" in run.stderr


def test_both_ignore_files_are_read_and_reported(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(FIXTURE.read_text())
    (tmp_path / ".scoper-ignore.toml").write_text(
        '[[ignore]]\nid = "litellm-2025"\nreason = "vendored"\nexpires = 2027-01-01\n'
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[[tool.scoper.ignore]]\nid = "nx-2025"\nreason = "unused"\n'
    )
    assert check_ignore.find_all([req]) == (
        tmp_path / ".scoper-ignore.toml",
        tmp_path / "pyproject.toml",
    )
    _, result = api.check([req])
    from scoper.settings import Settings

    decided = api.check_gate(result, [req], settings=Settings.from_env(now="2026-12-02T00:00:00Z"))
    assert decided.result.failing() == () and not decided.ignore_fails
    (ignored,) = decided.result.ignored
    assert (ignored.reason, ignored.expires) == ("vendored", date(2027, 1, 1))
    (unused,) = decided.result.unused
    assert unused.startswith(f"unused ignore entry {tmp_path / 'pyproject.toml'}: ignore[1]")
    assert "ignored litellm-2025 for litellm 1.82.8" in decided.messages[-1]
    assert "vendored, until 2027-01-01" in decided.messages[-1]

"""``check --min-age``: lockfile upload times offline, release history otherwise, exit 4 when
an age is needed and unknowable, waivers in the ignore file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import responses
from recorded_http import ClosingReader
from typer.testing import CliRunner

from scoper.cli import app
from scoper.errors import UsageError
from scoper.scope.check_age import describe, parse_min_age

RECORDED = Path(__file__).resolve().parent / "data" / "feeds" / "recorded"
SIMPLE = "https://pypi.org/simple/demo/"
# a uv.lock in uv's format (upload-time per sdist/wheel), names and times made up
UV_LOCK = (Path(__file__).resolve().parent / "data" / "gate" / "uv.lock").read_text()
NOW = "2026-12-02T00:00:00Z"


def _check(tmp_path: Path, *args: str, now: str = NOW) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    env = {"SCOPER_CACHE": str(tmp_path / "cache"), "GITHUB_STEP_SUMMARY": ""}
    run = CliRunner().invoke(app, ["--now", now, "check", *args, "-f", "json"], env=env)
    doc = json.loads(run.stdout) if run.stdout.startswith("{") else {}
    return run.exit_code, doc, run.stderr


def _ages(doc: dict) -> dict[str, tuple[str, str | None]]:  # type: ignore[type-arg]
    return {c["package"]: (c["status"], c["source"]) for c in doc["min_age"]["checks"]}


def test_min_age_values() -> None:
    assert parse_min_age("12h") == timedelta(hours=12)
    assert parse_min_age("7d") == timedelta(days=7)
    assert parse_min_age("2w") == timedelta(days=14)
    assert describe(parse_min_age("2w")) == "14d" and describe(parse_min_age("36h")) == "36h"
    with pytest.raises(UsageError, match="12h, 7d, 2w"):
        parse_min_age("7 days")


def test_bad_min_age_is_exit_2(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_LOCK)
    code, _, stderr = _check(tmp_path, str(lock), "--min-age", "soon")
    assert code == 2 and "--min-age 'soon'" in stderr


def test_uv_lock_upload_times_offline(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_LOCK)
    code, doc, _ = _check(tmp_path, str(lock), "--min-age", "7d", "--offline")
    assert code == 1
    assert _ages(doc) == {
        "click": ("old-enough", "lockfile"),
        "fresh-pkg": ("too-young", "lockfile"),
    }
    (young,) = [c for c in doc["min_age"]["checks"] if c["fails"]]
    # the newest locked file counts (the wheel added on 11-30), not the sdist of 11-20
    assert young["uploaded_at"] == "2026-11-30T12:00:00Z" and young["line"] == 12
    assert doc["min_age"]["age"] == "7d" and doc["passed"] is False
    code, doc, _ = _check(tmp_path, str(lock), "--min-age", "12h", "--offline")
    assert code == 0 and doc["passed"] is True


def test_pylock_upload_times(tmp_path: Path) -> None:
    lock = tmp_path / "pylock.toml"
    lock.write_text(
        'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "attrs"\n'
        'version = "25.1.0"\nwheels = [\n  {name = "attrs-25.1.0-py3-none-any.whl", '
        "upload-time = 2026-11-29T11:30:10.164985+00:00, url = "
        "'https://files.pythonhosted.org/p/attrs-25.1.0-py3-none-any.whl', size = 63152, "
        "hashes = {sha256 = '" + "3" * 64 + "'}},\n]\n"
    )
    code, doc, _ = _check(tmp_path, str(lock), "--min-age", "1w", "--offline")
    assert code == 1 and _ages(doc) == {"attrs": ("too-young", "lockfile")}


def test_offline_without_upload_time_is_exit_4_never_a_pass(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("demo==1.4\n")
    code, doc, _ = _check(tmp_path, str(req), "--min-age", "7d", "--offline")
    assert code == 4
    (check,) = doc["min_age"]["checks"]
    assert check["status"] == "unknown" and check["fails"] and check["uploaded_at"] is None
    assert "offline" in check["detail"] and doc["passed"] is False


@responses.activate
def test_release_history_feed_then_its_cache_offline(tmp_path: Path) -> None:
    responses.get(
        SIMPLE,
        body=ClosingReader((RECORDED / "demo-simple.json").read_bytes()),
        headers={
            "ETag": '"e1"',
            "Cache-Control": "max-age=0",
            "Content-Type": "application/vnd.pypi.simple.v1+json",
            "Vary": "Accept, Accept-Encoding",  # as pypi.org answers
        },
    )
    req = tmp_path / "requirements.txt"
    req.write_text("demo==1.4\n")
    other = tmp_path / "b" / "requirements.txt"
    other.parent.mkdir()
    other.write_text("demo==1.0\n")
    now = "2026-03-25T00:00:00Z"
    # 1.4's sdist is 5 days old but its wheel (2026-03-22) only 3: the newest file counts
    code, doc, _ = _check(tmp_path, str(req), str(other), "--min-age", "4d", now=now)
    assert code == 1
    by_file = {
        c["file"]: (c["version"], c["status"], c["source"]) for c in doc["min_age"]["checks"]
    }
    assert sorted(by_file.values()) == [
        ("1.0", "old-enough", "history"),
        ("1.4", "too-young", "history"),
    ]
    assert len(responses.calls) == 1  # one fetch per package
    code, doc, _ = _check(tmp_path, str(req), "--min-age", "4d", "--offline", now=now)
    assert code == 1 and _ages(doc) == {"demo": ("too-young", "history")}


def test_ignore_entry_waives_min_age_with_a_reason(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_LOCK)
    ignore = tmp_path / ".scoper-ignore.toml"
    ignore.write_text(
        '[[ignore]]\nmin-age = true\npackage = "Fresh_Pkg"\nreason = "our own release"\n'
        "expires = 2027-01-01\n"
    )
    code, doc, stderr = _check(tmp_path, str(lock), "--min-age", "7d", "--offline")
    assert code == 0, stderr
    assert _ages(doc)["fresh-pkg"] == ("waived", "lockfile")
    (ignored,) = doc["ignored"]
    assert ignored["advisory"] == "min-age" and ignored["reason"] == "our own release"
    assert ignored["expires"] == "2027-01-01" and ignored["version"] == "1.0.0"
    assert "ignored min-age for fresh-pkg 1.0.0" in stderr
    code, doc, stderr = _check(
        tmp_path, str(lock), "--min-age", "7d", "--offline", now="2027-02-01T00:00:00Z"
    )
    assert code == 1 and "expired ignore entry" in stderr
    assert doc["expired_ignores"] and doc["ignored"] == []


def test_min_age_entry_needs_a_package(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(UV_LOCK)
    (tmp_path / ".scoper-ignore.toml").write_text('[[ignore]]\nmin-age = true\nreason = "x"\n')
    code, _, stderr = _check(tmp_path, str(lock), "--min-age", "7d", "--offline")
    assert code == 3 and "ignore[1]" in stderr and "needs a 'package'" in stderr

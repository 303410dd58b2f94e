"""The command line end to end over the bundled sample incident, with golden reports."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
PLANTED = re.compile(r"FIXTUREplanted[0-9A-Za-z/]*")


@pytest.fixture()
def incident(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store holding the sample incident, ingested with stable relative paths."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SCOPER_FINGERPRINT_KEY", "golden-test-key")
    db = tmp_path / "incident.duckdb"
    result = CliRunner().invoke(app, ["ingest", "fixtures/incident", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SCOPER_UPDATE_GOLDEN") or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), f"{name} differs; SCOPER_UPDATE_GOLDEN=1 to accept"


def test_scope_json_lists_the_expected_exposures(incident: Path) -> None:
    result = CliRunner().invoke(
        app, ["scope", "--advisory", "litellm-2025", "--db", str(incident), "--format", "json"]
    )
    assert result.exit_code == 1  # findings
    data = json.loads(result.stdout)
    sessions = {s["session_id"]: s["confidence"] for s in data["sessions"]}
    assert sessions == {
        "7f3a2c1e-5b9d-4e8f-a6c0-1d3b5f7e9a24": "likely",
        "auditd:dev-bob:ses:214": "possible",
        "github:acme/app/runs/23480118810/attempts/1/jobs/68211470115": "possible",
        "github:acme/app/runs/23480118811/attempts/1/jobs/68211474402": "confirmed",
        "k8s:prod/llm-gateway-7d9f6b8c5-x2kqp": "likely",
    }
    assert {h["host"]: h["confidence"] for h in data["hosts"]} == {
        "ci-runner-3": "confirmed",
        "dev-alice": "likely",
        "dev-bob": "possible",
        "node-a1": "likely",
    }
    envs = {(e["environment"], e["version"], e["confidence"]) for e in data["environments"]}
    assert ("fixtures/incident/lockfiles/gateway/requirements.txt", "1.82.8", "confirmed") in envs
    assert ("fixtures/incident/lockfiles/batch/requirements.txt", "1.82.8", "possible") in envs
    assert not any("worker" in (e or "") or "billing" in (e or "") for e, _, _ in envs)
    aws = next(c for c in data["credentials"] if c["name"] == "AWS_ACCESS_KEY_ID")
    assert [u["source_ip"] for u in aws["used_after_exposure"] if u["new_source_ip"]] == [
        "46.151.182.203"
    ]
    assert all(
        item["evidence"]
        for key in ("sessions", "hosts", "credentials", "environments")
        for item in data[key]
    )
    _golden("scope-incident.json", result.stdout)


def test_alias_and_every_report_format(incident: Path) -> None:
    runner = CliRunner()
    for fmt in ("markdown", "csv"):
        result = runner.invoke(
            app, ["scope", "-a", "PYSEC-2026-2", "--db", str(incident), "-f", fmt]
        )
        assert result.exit_code == 1, result.output
        _golden(f"scope-incident.{'md' if fmt == 'markdown' else fmt}", result.stdout)


def _texts(path: Path) -> str:
    """A fixture file's text, gzip and zip members unpacked (secrets are planted inside)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            data = b"\n".join(archive.read(name) for name in archive.namelist())
    return data.decode("utf-8")


def test_no_planted_secret_in_store_or_outputs(incident: Path) -> None:
    planted = set(
        PLANTED.findall("".join(_texts(p) for p in (ROOT / "fixtures").rglob("*") if p.is_file()))
    )
    assert planted, "the fixtures must plant secret values for this test to mean anything"
    runner = CliRunner()
    outputs = [
        runner.invoke(app, ["scope", "-a", "litellm-2025", "--db", str(incident), "-f", fmt]).stdout
        for fmt in ("json", "csv", "markdown", "table")
    ]
    blob = incident.read_bytes()
    for secret in planted:
        assert secret.encode() not in blob
        assert all(secret not in text for text in outputs)


def test_reingest_is_a_noop(incident: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "fixtures/incident", "--db", str(incident)])
    assert result.exit_code == 0
    assert "unchanged" in result.stderr or "│" in result.stderr


def test_check_fails_on_bad_pin_and_passes_on_good(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    bad = runner.invoke(app, ["check", "fixtures/check/bad-requirements.txt", "-f", "json"])
    assert bad.exit_code == 1
    found = json.loads(bad.stdout)["findings"]
    assert [(f["package"], f["version"], f["line"], f["fails"]) for f in found] == [
        ("litellm", "1.82.8", 1, True)
    ]
    good = runner.invoke(app, ["check", "fixtures/check/good-requirements.txt"])
    assert good.exit_code == 0, good.output
    sarif = runner.invoke(app, ["check", "fixtures/check/bad-requirements.txt", "-f", "sarif"])
    assert json.loads(sarif.stdout)["runs"][0]["results"][0]["ruleId"] == "litellm-2025"


def test_check_unknown_advisory_exits_4(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["check", "fixtures/check/good-requirements.txt", "--advisory", "nope-2099"]
    )
    assert result.exit_code == 4


@pytest.mark.parametrize(
    ("name", "content", "place"),
    [
        ("uv.lock", 'version = 1\n[[package]]\nname = "x"\nversion = ', "uv.lock"),
        (
            "events.jsonl",
            '{"ts":"2026-03-24T10:00:00Z","event":"exec","session":"a"}\n{"ts":"20',
            "line 2",
        ),
        ("notes.bin", "\x00\x01\x02 nothing scoper knows", "no reader recognises"),
    ],
)
def test_bad_input_exits_3_names_the_file_and_keeps_the_store(
    tmp_path: Path, incident: Path, name: str, content: str, place: str
) -> None:
    before = _table_counts(incident)
    bad = tmp_path / name
    bad.write_text(content)
    result = CliRunner().invoke(app, ["ingest", str(bad), "--db", str(incident)])
    assert result.exit_code == 3
    assert name in result.stderr and place in result.stderr
    assert _table_counts(incident) == before


def _table_counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("ingests", "packages", "events", "sessions", "credentials")
        }
    finally:
        con.close()


def test_missing_store_and_help_examples(tmp_path: Path) -> None:
    runner = CliRunner()
    for command in ("ingest", "scope", "check", "formats", "sql"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.stdout
    assert shutil.which("true") is not None

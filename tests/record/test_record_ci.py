"""scripts/scoper-record-ci.sh and the action's record mode: a job's session, action refs with
SHAs, credential names, and the interpreters' inventory at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from scoper.ingest import Ingester
from scoper.record.verify import verify_paths
from scoper.store.db import connect

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "scoper-record-ci.sh"
SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
SECRET = "pypi-" + "AgEIcHlwaS5vcmc" * 4


def _job(tmp_path: Path) -> dict[str, str]:
    work = tmp_path / "work"
    (work / "api" / "api").mkdir(parents=True)
    (work / "_actions" / "actions" / "checkout" / "v4").mkdir(parents=True)
    (work / "_actions" / "actions" / "checkout" / "v4.completed").write_text("")
    diag = tmp_path / "diag"
    diag.mkdir()
    (diag / "Worker_20260324-110210-utc.log").write_text(
        "[2026-03-24 11:02:11Z INFO JobRunner] Download action repository "
        f"'actions/checkout@v4' (SHA:{SHA})\n"
    )
    shim = tmp_path / "bin" / "scoper"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m scoper "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VIRTUAL_ENV"))}
    env |= {
        "GITHUB_RUN_ID": "8812345", "GITHUB_RUN_ATTEMPT": "2", "GITHUB_JOB": "test",
        "GITHUB_REPOSITORY": "acme/api", "GITHUB_ACTOR": "octocat", "RUNNER_NAME": "runner-07",
        "ImageOS": "ubuntu24", "ImageVersion": "20260315.1.0", "GITHUB_WORKSPACE":
        str(work / "api" / "api"), "SCOPER_RUNNER_DIAG": str(diag), "PYPI_TOKEN": SECRET,
        "RUNNER_TEMP": str(tmp_path / "tmp"), "SCOPER": str(shim),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "pythonLocation": sys.prefix,
    }  # fmt: skip
    return env


def test_the_script_records_a_job(tmp_path: Path) -> None:
    env = _job(tmp_path)
    outputs = tmp_path / "outputs"
    env["GITHUB_OUTPUT"] = str(outputs)
    for phase in ("start", "end"):
        done = subprocess.run(["bash", str(SCRIPT), phase], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    trail = tmp_path / "tmp" / "scoper-trail"
    assert outputs.read_text().splitlines()[-1] == f"trail={trail}/"
    (path,) = sorted(trail.glob("trail-*.jsonl"))
    assert SECRET not in path.read_text()
    assert all(v.intact for v in verify_paths([trail], None))
    events = [json.loads(line) for line in path.read_text().splitlines()]
    start = events[1]
    assert (start["session"], start["host"], start["kind"]) == (
        "gha-8812345-2-test",
        "runner-07",
        "ci",
    )
    assert start["detail"]["image_version"] == "20260315.1.0"
    assert "PYPI_TOKEN" in start["detail"]["env"]
    assert list(trail.glob("pip-inspect*.json"))  # pip's own inventory beside the trail

    con = connect(":memory:")
    assert Ingester(con).ingest(path).status == "ok"
    action = con.execute(
        "SELECT package, version, detail->>'sha' FROM events WHERE ecosystem = 'GitHub Actions'"
    ).fetchall()
    assert action == [("actions/checkout", "v4", SHA)]
    cred = con.execute("SELECT name, kind FROM credentials").fetchall()
    assert cred == [("PYPI_TOKEN", "pypi-token")]
    installs = con.execute(
        "SELECT count(*) FROM events WHERE kind = 'install' AND environment = ?", [sys.prefix]
    ).fetchone()
    assert installs is not None and installs[0] > 5  # duckdb, typer, ... of this interpreter
    ended = con.execute("SELECT ended_at IS NOT NULL FROM sessions").fetchall()
    assert ended == [(True,)]


def test_the_action_has_a_record_mode_that_runs_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["mode"]["default"] == "check"
    steps = {s.get("id", s["name"]): s for s in action["runs"]["steps"]}
    assert "scripts/scoper-record-ci.sh" in steps["record"]["run"]
    assert "inputs.mode != 'record'" in steps["check"]["if"]
    upload = steps["Upload the trail"]["uses"]
    assert upload.split("@")[1] == "ea165f8d65b6e75b540449e92b4886f43607fa02"

"""scoper record -- CMD: a recorded pip install of a local wheel and a Python start in a
temporary venv are found by scope with a local advisory for that wheel (no network)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scoper.record.verify import verify_paths
from scoper.sources.base import fingerprint

NAME, VERSION = "rectest-evil", "6.6.6"
TOKEN = "ghp_" + "Z9y8X7w6V5" * 3 + "u4t3s2"


def _wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel, written by hand (no build backend, no network)."""
    path = folder / f"rectest_evil-{VERSION}-py3-none-any.whl"
    info = f"rectest_evil-{VERSION}.dist-info"
    files = {
        "rectest_evil/__init__.py": b"VALUE = 1\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return path


def _advisory(folder: Path) -> Path:
    ext = {"versions": {VERSION: {"trigger": "startup", "live_from": "2026-01-01T00:00:00Z"}}}
    data = {
        "schema_version": "1.7.4",
        "id": "rectest-evil-2026",
        "modified": "2026-01-02T00:00:00Z",
        "published": "2026-01-02T00:00:00Z",
        "summary": "test: malicious rectest-evil",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": NAME},
                "versions": [VERSION],
                "database_specific": {"scoper": ext},
            }
        ],
    }
    path = folder / "advisory.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _scoper(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scoper", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="venv layout of POSIX")
def test_recorded_install_and_start_are_scoped(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    trail = tmp_path / "trail.jsonl"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "SCOPER_SESSION")}
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "cfg"), "GITHUB_TOKEN": TOKEN}
    env |= {"SCOPER_FINGERPRINT_KEY": "shared-key", "PIP_NO_INDEX": "1"}
    wheel = _wheel(tmp_path)
    install = [python, "-m", "pip", "install", "--no-index", "--no-deps", str(wheel)]
    done = _scoper(["record", "--trail", str(trail), "--", *install], env)
    assert done.returncode == 0, done.stderr
    assert "Successfully installed rectest-evil-6.6.6" in done.stdout  # passed through
    start = _scoper(
        ["record", "--trail", str(trail), "--", python, "-c", "raise SystemExit(5)"], env
    )
    assert start.returncode == 5  # the exit code is passed through

    text = trail.read_text(encoding="utf-8")
    assert TOKEN not in text
    events = [json.loads(line) for line in text.splitlines()]
    installs = [e for e in events if e["event"] == "install" and e["package"] == NAME]
    assert [(e["version"], e["environment"]) for e in installs] == [(VERSION, str(venv))]
    assert [e["exit_code"] for e in events if e["event"] == "session_end"] == [0, 5]
    assert "GITHUB_TOKEN" in next(e for e in events if e["event"] == "exec")["detail"]["env"]
    assert all(v.intact for v in verify_paths([trail], None))

    db = str(tmp_path / "s.duckdb")
    assert _scoper(["ingest", str(trail), "--db", db], env).returncode == 0
    advisory = str(_advisory(tmp_path))
    scope = ["scope", "-a", "rectest-evil-2026", "--advisories", advisory, "--db", db]
    found = _scoper([*scope, "--format", "json"], env)
    assert found.returncode == 1, found.stderr
    result = json.loads(found.stdout)
    sessions = {s["session_id"]: s["confidence"] for s in result["sessions"]}
    exec_sessions = [e["session"] for e in events if e["event"] == "session_start"]
    assert set(sessions) == set(exec_sessions) and len(sessions) == 2
    assert sessions[exec_sessions[1]] == "confirmed"  # python started while it was installed
    held = {(c["name"], c["fingerprint"]) for c in result["credentials"]}
    assert ("GITHUB_TOKEN", fingerprint(b"shared-key", TOKEN)) in held
    assert all(TOKEN not in str(c) for c in result["credentials"])

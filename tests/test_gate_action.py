"""action.yml's bash steps run as a script over fixtures/check; the pre-commit hook's pattern."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "check"
BASH = shutil.which("bash")


def _steps() -> dict[str, dict[str, Any]]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    return {s.get("id", s["name"]): s for s in action["runs"]["steps"]}


def _run(
    step: dict[str, Any], tmp_path: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    assert BASH is not None
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    full = {**os.environ, "PATH": path, "RUNNER_TEMP": str(tmp_path), **env}
    return subprocess.run(
        [BASH, "-c", step["run"]],
        env=full,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def _check(tmp_path: Path, paths: str) -> dict[str, str]:
    outputs = tmp_path / "out.txt"
    done = _run(
        _steps()["check"],
        tmp_path,
        {
            "INPUT_PATHS": paths,
            "INPUT_ADVISORIES": "all",
            "INPUT_FAIL_ON": "likely",
            "INPUT_IGNORE_FILE": "",
            "GITHUB_OUTPUT": str(outputs),
        },
    )
    assert done.returncode == 0, done.stderr
    return dict(line.split("=", 1) for line in outputs.read_text().splitlines())


@pytest.mark.skipif(BASH is None, reason="bash not installed")
def test_action_fails_on_the_bad_fixture_and_writes_sarif(tmp_path: Path) -> None:
    out = _check(
        tmp_path, f"{FIXTURES / 'bad-requirements.txt'} {FIXTURES / 'good-requirements.txt'}"
    )
    assert out["status"] == "1"
    sarif = json.loads(Path(out["sarif-file"]).read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["litellm-2025"]
    gate = _run(_steps()["gate"], tmp_path, {"STATUS": out["status"]})
    assert gate.returncode == 1 and "::error::scoper check failed (exit 1" in gate.stdout


@pytest.mark.skipif(BASH is None, reason="bash not installed")
def test_action_passes_the_good_fixture(tmp_path: Path) -> None:
    out = _check(tmp_path, str(FIXTURES / "good-requirements.txt"))
    assert out["status"] == "0"
    assert _run(_steps()["gate"], tmp_path, {"STATUS": "0"}).returncode == 0


def test_upload_step_is_pinned_by_sha() -> None:
    uses = _steps()["Upload SARIF"]["uses"]
    assert re.fullmatch(r"github/codeql-action/upload-sarif@[0-9a-f]{40}", uses)


def test_pre_commit_hook_matches_lockfiles_only() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "scoper-check" and hook["entry"] == "scoper check"
    files = re.compile(hook["files"])
    for name in ("requirements.txt", "sub/requirements-dev.txt", "uv.lock", "pylock.toml"):
        assert files.search(name), name
    for name in ("README.md", "setup.py", "requirements.txt.bak"):
        assert not files.search(name), name


def test_pre_commit_try_repo() -> None:
    pytest.skip(
        "pre-commit try-repo builds the hook's environment by installing this repository and its "
        "dependencies from PyPI; tests run without network"
    )

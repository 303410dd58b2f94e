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


BAD_UV_LOCK = """version = 1
requires-python = ">=3.10"

[[package]]
name = "litellm"
version = "1.82.8"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.pythonhosted.org/p/litellm-1.82.8-py3-none-any.whl", \
upload-time = 2026-03-24T10:52:19Z, size = 1, hashes = { sha256 = "A64" } }]

[[package]]
name = "fresh-pkg"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://files.pythonhosted.org/p/fresh_pkg-1.0.0-py3-none-any.whl", \
upload-time = 2026-11-30T12:00:00Z, size = 1, hashes = { sha256 = "B64" } }]
""".replace("A64", "a" * 64).replace("B64", "b" * 64)

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _resolve(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """``${{ inputs.X }}`` and ``${{ steps.ID.outputs.Y }}`` as GitHub would expand them."""

    def one(match: re.Match[str]) -> str:
        parts = match.group(1).split(".")
        if parts[0] == "inputs":
            return inputs[parts[1]]
        if parts[0] == "steps" and parts[2] == "outputs":
            return outputs.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"unexpected expression {match.group(0)}")

    return _EXPR.sub(one, str(text))


_COND = re.compile(r"^(inputs\.[\w-]+|steps\.[\w-]+\.outputs\.[\w-]+)\s*(==|!=)\s*'([^']*)'$")


def _runs(step: dict[str, Any], inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> bool:
    """A step's ``if:`` as GitHub evaluates the forms action.yml uses: ``always()`` and
    ``==``/``!=`` comparisons of inputs and step outputs with strings, joined by ``&&``."""
    cond = str(step.get("if", "")).strip()
    whole = _EXPR.fullmatch(cond)
    for part in (whole.group(1) if whole else cond).split("&&") if cond else []:
        part = part.strip()
        if part == "always()":
            continue
        match = _COND.match(part)
        assert match, f"unexpected condition {part!r}"
        value = _resolve("${{ " + match.group(1) + " }}", inputs, outputs)
        if (value == match.group(3)) != (match.group(2) == "=="):
            return False
    return True


def _run_action(tmp_path: Path, given: dict[str, str]) -> dict[str, Any]:
    """Every step of action.yml in order: ``run:`` steps through bash with their env
    resolved, ``uses:`` steps recorded with their resolved ``with:``. The install step
    is not run (it pip-installs this checkout, which the test venv already has)."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | given
    outputs: dict[str, dict[str, str]] = {}
    summary = tmp_path / "step-summary.md"
    record: dict[str, Any] = {"uses": [], "codes": {}, "stdout": {}}
    for step in action["runs"]["steps"]:
        sid = step.get("id", step["name"])
        if not _runs(step, inputs, outputs):
            continue
        if "uses" in step:
            record["uses"].append(
                (step["uses"], {k: _resolve(v, inputs, outputs) for k, v in step["with"].items()})
            )
            continue
        if sid == "install":
            assert '"$GITHUB_ACTION_PATH"' in step["run"]  # installs the action's own checkout
            continue
        out_file = tmp_path / f"{sid}.out"
        out_file.write_text("")
        env = {k: _resolve(v, inputs, outputs) for k, v in step.get("env", {}).items()}
        env |= {"GITHUB_OUTPUT": str(out_file), "GITHUB_STEP_SUMMARY": str(summary)}
        env["SCOPER_CACHE"] = str(tmp_path / "cache")
        env["SCOPER_NOW"] = "2026-12-02T00:00:00Z"
        done = _run(step, tmp_path / "repo", env)
        record["codes"][sid] = done.returncode
        record["stdout"][sid] = done.stdout
        lines = out_file.read_text().splitlines()
        outputs[sid] = dict(line.split("=", 1) for line in lines)
    record["outputs"] = outputs
    record["summary"] = summary.read_text() if summary.exists() else ""
    return record


@pytest.mark.skipif(BASH is None, reason="bash not installed")
def test_action_steps_as_a_script_on_a_repo_with_a_bad_lockfile(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "uv.lock").write_text(BAD_UV_LOCK)
    (repo / "requirements.txt").write_text("demo>=1\n")  # a package no advisory names
    ran = _run_action(tmp_path, {"paths": "uv.lock requirements.txt", "min-age": "7d"})
    check = ran["outputs"]["check"]
    assert check["status"] == "1" and ran["codes"]["check"] == 0
    sarif = json.loads(Path(check["sarif-file"]).read_text())
    rules = sorted(r["ruleId"] for r in sarif["runs"][0]["results"])
    assert rules == ["litellm-2025", "scoper/min-age/too-young"]
    ((uses, with_),) = ran["uses"]
    assert uses.startswith("github/codeql-action/upload-sarif@")
    assert with_ == {"sarif_file": check["sarif-file"], "category": "scoper"}
    assert ran["codes"]["gate"] == 1
    assert "::error::scoper check failed (exit 1" in ran["stdout"]["gate"]
    assert "## scoper check: FAILED" in ran["summary"] and "fresh-pkg 1.0.0" in ran["summary"]


@pytest.mark.skipif(BASH is None, reason="bash not installed")
def test_action_inputs_reach_the_check(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("litellm>=1.80\n")
    strict = _run_action(tmp_path, {"paths": "requirements.txt", "fail-on": "confirmed"})
    assert strict["outputs"]["check"]["status"] == "1"  # malware fails at any confidence
    (repo / "requirements.txt").write_text("requests>=2\n")
    head, _litellm, fresh = BAD_UV_LOCK.split("[[package]]")
    (repo / "uv.lock").write_text(f"{head}[[package]]{fresh}")  # fresh-pkg only
    young = _run_action(tmp_path, {"paths": "uv.lock", "min-age": "7d"})
    assert young["outputs"]["check"]["status"] == "1"
    calm = _run_action(tmp_path, {"paths": "uv.lock", "min-age": "12h"})
    assert calm["outputs"]["check"]["status"] == "0" and calm["codes"]["gate"] == 0
    bad = _run_action(tmp_path, {"paths": "uv.lock", "allow": "everything"})
    assert bad["outputs"]["check"]["status"] == "2" and bad["codes"]["gate"] == 2


def test_pre_commit_hook_matches_lockfiles_only() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "scoper-check" and hook["entry"] == "scoper check"
    files = re.compile(hook["files"])
    for name in ("requirements.txt", "sub/requirements-dev.txt", "uv.lock", "pylock.toml"):
        assert files.search(name), name
    for name in ("README.md", "setup.py", "requirements.txt.bak"):
        assert not files.search(name), name


def test_pre_commit_manifest_is_valid_for_pre_commit() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")  # in the dev extra
    (hook,) = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "scoper-check" and hook["language"] == "python"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.online
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """``pre-commit try-repo`` builds the hook's environment by pip-installing this checkout
    and its dependencies from the package index, so it is opt-in (``-m online``)."""
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if exe is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "requirements.txt").write_text("litellm==1.82.8\n")
    (repo / "README.md").write_text("not checked\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-qm", "x")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")}
    argv = [exe, "try-repo", str(ROOT), "scoper-check", "--all-files"]
    bad = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "scoper check" in bad.stdout and "litellm-2025" in bad.stdout
    (repo / "requirements.txt").write_text("litellm==1.82.6\n")
    good = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr

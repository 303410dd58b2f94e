"""check --env: an installed environment (a real temporary venv with a local wheel of a
known-bad name and version) gated through ``PYTHON -m pip inspect``; no network."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from importlib.metadata import version as installed_version
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from scoper.api_check_env import check_more
from scoper.cli import app
from scoper.errors import ExitCode, InputError
from scoper.scope import check_env, check_vulns
from scoper.settings import Settings

BAD = ("scoper-bad-demo", "6.6.6")
HERE = Path(__file__).resolve().parent
FAKE_AUDIT = HERE / "data" / "pip_audit_runs" / "fake_pip_audit.py"
SARIF_SCHEMA = json.loads((HERE / "schemas" / "sarif-schema-2.1.0.json").read_text())
CHECK_SCHEMA = json.loads((HERE.parent / "docs" / "check-format.schema.json").read_text())


def _wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel (PEP 427) with a valid RECORD."""
    dist = f"{name.replace('-', '_')}-{version}"
    files = {
        f"{name.replace('-', '_')}.py": "VALUE = 1\n",
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = hashlib.sha256(text.encode()).digest()
        b64 = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{path},sha256={b64},{len(text.encode())}")
    record.append(f"{dist}.dist-info/RECORD,,")
    out = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(out, "w") as z:
        for path, text in files.items():
            z.writestr(path, text)
        z.writestr(f"{dist}.dist-info/RECORD", "\n".join(record) + "\n")
    return out


def _advisory(folder: Path, ident: str, name: str, versions: list[str]) -> Path:
    doc = {
        "schema_version": "1.6.0",
        "id": ident,
        "modified": "2026-11-01T00:00:00Z",
        "published": "2026-11-01T00:00:00Z",
        "summary": f"test advisory for {name}",
        "affected": [{"package": {"ecosystem": "PyPI", "name": name}, "versions": versions}],
    }
    path = folder / f"{ident}.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding the bad wheel, installed offline from the local file."""
    root = tmp_path_factory.mktemp("env")
    wheel = _wheel(root, *BAD)
    env = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--no-index", "--no-deps"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True)
    return env


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_venv_folder_with_a_malware_version_fails_at_its_dist_info(
    venv: Path, tmp_path: Path
) -> None:
    adv = _advisory(tmp_path, "MAL-2099-1", BAD[0], [BAD[1]])
    code, out, _ = _check("--env", str(venv), "--advisories", str(adv), "-f", "json")
    assert code == ExitCode.FINDINGS
    [row] = json.loads(out)["findings"]
    assert row["file"].startswith(str(venv / "lib"))
    assert row["file"].endswith("site-packages/scoper_bad_demo-6.6.6.dist-info")
    assert (row["package"], row["version"], row["advisory"], row["line"]) == (
        *BAD,
        "MAL-2099-1",
        None,
    )
    assert "installed by pip, requested, from file://" in row["fact"]
    assert f"pip inspect of {venv / 'bin' / 'python'}" in row["fact"]


def test_an_interpreter_path_gives_the_same_rows_and_a_good_version_passes(
    venv: Path, tmp_path: Path
) -> None:
    bad = _advisory(tmp_path, "TEST-2099-2", BAD[0], [BAD[1]])
    python = str(venv / "bin" / "python")
    code, out, _ = _check("--env", python, "--advisories", str(bad), "-a", "TEST-2099-2")
    assert code == ExitCode.FINDINGS
    assert "scoper-bad-demo 6.6.6" in out
    good = _advisory(tmp_path, "TEST-2099-3", BAD[0], ["6.6.5"])
    code, _, _ = _check("--env", python, "--advisories", str(good), "-a", "TEST-2099-3")
    assert code == ExitCode.OK


def test_env_with_vulns_audits_the_installed_rows(
    venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "audit.json"
    dep = {"name": BAD[0], "version": BAD[1]}
    vuln = {"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["6.6.7"], "aliases": ["CVE-2099-1"]}
    report.write_text(json.dumps({"dependencies": [dep | {"vulns": [vuln]}], "fixes": []}))
    log = tmp_path / "log.json"
    monkeypatch.setenv(check_vulns.COMMAND_ENV, f"{sys.executable} {FAKE_AUDIT}")
    monkeypatch.setenv("FAKE_LOG", str(log))
    monkeypatch.setenv("FAKE_STDOUT", str(report))
    code, out, _ = _check("--env", str(venv), "--vulns", "-a", "litellm-2025", "-f", "json")
    assert code == ExitCode.FINDINGS
    [row] = json.loads(out)["findings"]
    assert row["advisory"] == "GHSA-xxxx-yyyy-zzzz"
    assert row["file"].endswith("scoper_bad_demo-6.6.6.dist-info")
    sent = json.loads(log.read_text())["requirements"].splitlines()
    assert "scoper-bad-demo==6.6.6" in sent and any(s.startswith("pip==") for s in sent)
    jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(json.loads(out))
    code, sarif, _ = _check("--env", str(venv), "--vulns", "-a", "litellm-2025", "-f", "sarif")
    assert code == ExitCode.FINDINGS
    doc = json.loads(sarif)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    [hit] = doc["runs"][0]["results"]
    where = hit["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("scoper_bad_demo-6.6.6.dist-info")
    assert where["region"]["startLine"] == 1  # no line in an environment


def test_the_default_is_this_interpreter(tmp_path: Path) -> None:
    mine = installed_version("scoper")
    adv = _advisory(tmp_path, "TEST-2099-4", "scoper", [mine])
    settings = Settings.from_env(advisories=[adv])
    more = check_more([], env=True, advisory="TEST-2099-4", settings=settings)
    [found] = more.result.findings
    assert (found.package, found.version) == ("scoper", mine)
    assert found.file.endswith(f"scoper-{mine}.dist-info")
    assert f"pip inspect of {sys.executable}" in found.fact


def test_a_missing_interpreter_or_a_folder_without_one_is_exit_3(tmp_path: Path) -> None:
    code, _, err = _check("--env", str(tmp_path / "nope"))
    assert code == ExitCode.INPUT and "no such interpreter" in err
    code, _, err = _check("--env", str(tmp_path))
    assert code == ExitCode.INPUT and "not a virtual environment" in err


def test_pip_inspect_failing_names_the_interpreter_and_pips_words(tmp_path: Path) -> None:
    def no_pip(argv: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess([], 1, "", "/x/python: No module named pip\n")

    with pytest.raises(InputError) as exc:
        check_env.inspect(Path("/x/python"), tmp_path, runner=no_pip)
    assert exc.value.exit_code == ExitCode.INPUT
    assert str(exc.value.render()) == (
        "/x/python: pip inspect failed (exit 1): /x/python: No module named pip"
    )


def test_check_without_paths_or_env_is_a_usage_error() -> None:
    code, _, err = _check()
    assert code == ExitCode.USAGE and "nothing to check" in err

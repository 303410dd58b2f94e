"""package_integrity: an artifact hash an ossf MAL record lists is confirmed evidence with
its file and line, even when the package's name or version says otherwise."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scoper.cli import app

DATA = Path(__file__).resolve().parent.parent / "data" / "osv_import"
MAL = DATA / "malicious-packages"
WHEEL_SHA = "c8784cf0aa8fa13a43614fbd6d51902feeecafdc06fc4db2695fd2572db66db8"
SDIST_MD5 = "6f4a67ec1ae03325b1427a5c33aef095"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def scoped(tmp_path: Path, lock_text: str, name: str = "requirements.txt") -> dict:  # type: ignore[type-arg]
    db = str(tmp_path / "s.duckdb")
    lock = tmp_path / name
    lock.write_text(lock_text, encoding="utf-8")
    assert run("advisories", "import", str(MAL), "--db", db)[0] == 0
    assert run("ingest", str(lock), "--db", db)[0] == 0
    code, out = run("scope", "--advisory", "MAL-2026-15859", "--db", db, "-f", "json")
    found = json.loads(out)
    found["exit"] = code
    return found  # type: ignore[no-any-return]


def test_a_renamed_artifact_is_confirmed_by_its_hash(tmp_path: Path) -> None:
    found = scoped(
        tmp_path,
        f"requests==2.32.3\nzerorequests-internal==1.0.0 \\\n    --hash=sha256:{WHEEL_SHA}\n",
    )
    assert found["exit"] == 1
    (env,) = found["environments"]
    assert (env["package"], env["version"], env["confidence"]) == (
        "zerorequests-internal",
        "1.0.0",
        "confirmed",
    )
    (evidence,) = env["evidence"]
    assert evidence["line"] == 2 and evidence["file"].endswith("requirements.txt")
    assert "sha256:c8784cf0aa8f" in evidence["fact"]
    assert "0requests-0.0.1-py3-none-any.whl of 0requests (package_integrity)" in evidence["fact"]


def test_any_listed_algorithm_matches(tmp_path: Path) -> None:
    found = scoped(tmp_path, f"mirror-pkg==0.0.1 --hash=md5:{SDIST_MD5}\n")
    assert [e["package"] for e in found["environments"]] == ["mirror-pkg"]


def test_the_version_match_is_not_doubled_by_the_hash(tmp_path: Path) -> None:
    found = scoped(tmp_path, f"0requests==0.0.1 --hash=sha256:{WHEEL_SHA}\n")
    (env,) = found["environments"]
    assert len(env["evidence"]) == 1
    assert "package_integrity" not in env["evidence"][0]["fact"]


def test_another_hash_is_not_evidence(tmp_path: Path) -> None:
    found = scoped(tmp_path, "zerorequests-internal==1.0.0 --hash=sha256:" + "0" * 64 + "\n")
    assert found["exit"] == 0 and found["environments"] == []

"""Coverage gaps fail unless ``--allow``ed: unpinned ranges that admit a bad version,
unreadable inputs, ecosystems without advisory data; each a row with file:line and key."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scoper import api
from scoper.cli import app
from scoper.scope.check_policy import Allow, GatePolicy

ADVISORY = {
    "schema_version": "1.6.0",
    "id": "GHSA-demo-0001",
    "modified": "2026-11-01T00:00:00Z",
    "summary": "demo 1.3 is bad",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["1.3"]}],
}


def _cli(tmp_path: Path, *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    adv = tmp_path / "adv.json"
    adv.write_text(json.dumps(ADVISORY))
    argv = ["check", *args, "--advisories", str(adv), "-f", "json"]
    run = CliRunner().invoke(app, argv, env={"GITHUB_STEP_SUMMARY": ""})
    doc = json.loads(run.stdout) if run.stdout.startswith("{") else {}
    return run.exit_code, doc, run.stderr


def test_unpinned_range_admitting_a_bad_version_fails_unless_allowed(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("# deps\ndemo>=1.0,<2\nother>=1\n")
    code, doc, stderr = _cli(tmp_path, str(req))
    assert code == 1 and doc["passed"] is False
    assert f"{req}:2: unpinned gap: not pinned" in stderr and "--allow unpinned" in stderr
    (gap,) = doc["gaps"]
    assert gap["kind"] == gap["allow"] == "unpinned"
    assert (gap["file"], gap["line"], gap["fails"]) == (str(req), 2, True)
    assert "1.3" in gap["detail"] and "GHSA-demo-0001" in gap["detail"]
    code, doc, _ = _cli(tmp_path, str(req), "--allow", "unpinned")
    assert code == 0 and doc["passed"] is True
    assert doc["gaps"][0]["allowed"] is True and doc["gaps"][0]["fails"] is False


def test_a_range_that_excludes_the_bad_version_is_no_gap(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("demo>=1.4\n")
    code, doc, _ = _cli(tmp_path, str(req))
    assert code == 0 and doc["gaps"] == []


def test_a_bare_name_admits_every_version(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("demo\n")
    code, doc, _ = _cli(tmp_path, str(req))
    assert code == 1 and doc["gaps"][0]["subject"] == "demo (any version)"


def test_unreadable_include_exits_3_unless_allowed(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("-r missing.txt\ndemo==1.4\n")
    code, doc, stderr = _cli(tmp_path, str(req))
    assert code == 3 and "missing.txt" in stderr
    (gap,) = [g for g in doc["gaps"] if g["kind"] == "unreadable"]
    assert gap["fails"] and gap["file"] == str(req)
    code, doc, _ = _cli(tmp_path, str(req), "--allow", "unreadable")
    assert code == 0, doc
    assert [g["allowed"] for g in doc["gaps"]] == [True]


def test_an_ecosystem_without_advisory_data_is_exit_4_unless_allowed(tmp_path: Path) -> None:
    lock = Path(__file__).resolve().parent / "data" / "conda" / "conda-linux-64.lock"
    code, doc, _ = _cli(tmp_path, str(lock))
    unknown = [g for g in doc["gaps"] if g["kind"] == "unknown-ecosystem"]
    assert unknown and all(g["fails"] and g["line"] for g in unknown)
    assert code == 4
    assert "no advisory data" in unknown[0]["detail"]
    code, doc, _ = _cli(tmp_path, str(lock), "--allow", "unknown-ecosystem,unpinned")
    assert code == 0 and all(g["allowed"] for g in doc["gaps"])


def test_allow_rejects_unknown_keys_with_exit_2(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("demo==1.4\n")
    code, _, stderr = _cli(tmp_path, str(req), "--allow", "unpinned,everything")
    assert code == 2
    assert "unpinned, unreadable, unknown-ecosystem" in stderr


def test_library_policy_marks_allowed_gaps(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("demo~=1.2\n")
    adv = tmp_path / "adv.json"
    adv.write_text(json.dumps(ADVISORY))
    policy = GatePolicy(frozenset({Allow.UNPINNED}))
    _, result = api.check([req], extra=[adv], policy=policy)
    (gap,) = result.gaps
    assert gap.kind is Allow.UNPINNED and gap.allowed and result.passes()
    _, strict = api.check([req], extra=[adv])
    assert not strict.passes() and strict.gaps[0].fails

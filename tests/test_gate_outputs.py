"""The gate's policy rows in every output: markdown (PR comment, $GITHUB_STEP_SUMMARY),
JSON (validated against docs/check-format.schema.json), SARIF (official schema) and JUnit."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from typer.testing import CliRunner

from scoper.cli import app

ROOT = Path(__file__).resolve().parent.parent
CHECK_SCHEMA = json.loads((ROOT / "docs" / "check-format.schema.json").read_text())
SARIF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())
UV_LOCK = ROOT / "tests" / "data" / "gate" / "uv.lock"
ADVISORY = {
    "schema_version": "1.6.0",
    "id": "GHSA-demo-0002",
    "modified": "2026-11-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["1.3"]}],
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repo with a bad pin, an unpinned range, a young locked version and ignore entries."""
    (tmp_path / "requirements.txt").write_text("litellm==1.82.8\ndemo>=1.0\n")
    (tmp_path / "uv.lock").write_text(UV_LOCK.read_text())
    (tmp_path / "adv.json").write_text(json.dumps(ADVISORY))
    (tmp_path / ".scoper-ignore.toml").write_text(
        '[[ignore]]\nmin-age = true\npackage = "fresh-pkg"\nreason = "our release"\n'
        "expires = 2027-01-01\n"
        '[[ignore]]\nid = "nx-2025"\nreason = "not used"\n'
    )
    return tmp_path


def _run(repo: Path, fmt: str, *extra: str, summary: Path | None = None) -> tuple[int, str]:
    args = [str(repo / "requirements.txt"), str(repo / "uv.lock"), "--advisories"]
    argv = ["--now", "2026-12-02T00:00:00Z", "check", *args, str(repo / "adv.json")]
    argv += ["--min-age", "7d", "--offline", "-f", fmt, *extra]
    env = {"SCOPER_CACHE": str(repo / "cache"), "GITHUB_STEP_SUMMARY": str(summary or "")}
    run = CliRunner().invoke(app, argv, env=env)
    return run.exit_code, run.stdout


def test_json_has_every_policy_member_and_validates(repo: Path) -> None:
    code, text = _run(repo, "json")
    assert code == 1
    doc = json.loads(text)
    jsonschema.Draft202012Validator(CHECK_SCHEMA).validate(doc)
    assert "litellm-2025" in doc["malicious"]
    assert [g["kind"] for g in doc["gaps"]] == ["unpinned"]
    statuses = {c["package"]: c["status"] for c in doc["min_age"]["checks"]}
    # litellm pinned in requirements.txt: no upload time there, and offline with no cache
    assert statuses == {"click": "old-enough", "fresh-pkg": "waived", "litellm": "unknown"}
    (ignored,) = doc["ignored"]
    assert (ignored["reason"], ignored["expires"]) == ("our release", "2027-01-01")
    assert len(doc["unused_ignores"]) == 1 and "nx-2025" in doc["unused_ignores"][0]


def test_the_schema_rejects_a_gap_without_its_allow_key() -> None:
    gap = {"kind": "unpinned", "file": "f", "line": 1, "subject": "s", "detail": "d"}
    gap |= {"allowed": False, "fails": True}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(CHECK_SCHEMA["properties"]["gaps"]).validate([gap])


def test_markdown_summary_names_file_line_and_allow_key(repo: Path) -> None:
    code, text = _run(repo, "markdown")
    assert code == 1
    assert text.startswith("## scoper check: FAILED\n")
    assert "| `" + str(repo / "requirements.txt") + ":1` | litellm 1.82.8 | litellm-2025 |" in text
    assert "`--allow unpinned` | **fails** |" in text
    assert "### Ignored" in text and "our release" in text
    assert "- note: unused ignore entry" in text


def test_step_summary_is_appended(repo: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n")
    _run(repo, "json", summary=summary)
    _run(repo, "sarif", "--allow", "unpinned", summary=summary)
    text = summary.read_text()
    assert text.startswith("# earlier step\n")
    assert text.count("## scoper check: FAILED") == 2  # litellm is malware: fails regardless
    assert "`--allow unpinned` | allowed |" in text


def test_sarif_gap_results_have_their_own_rules_and_validate(repo: Path) -> None:
    code, text = _run(repo, "sarif")
    doc = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    run = doc["runs"][0]
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {"scoper/gap/unpinned", "scoper/min-age/too-young", "litellm-2025"} <= rule_ids
    (gap,) = [r for r in run["results"] if r["ruleId"] == "scoper/gap/unpinned"]
    assert gap["level"] == "error"
    assert gap["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert len(gap["partialFingerprints"]["scoperPolicy/v1"]) == 32
    code, text = _run(repo, "sarif", "--allow", "unpinned")
    assert code == 1  # litellm is malware: fails whatever is allowed
    (allowed,) = [r for r in json.loads(text)["runs"][0]["results"] if "gap" in r["ruleId"]]
    assert allowed["level"] == "note"
    assert allowed["partialFingerprints"] == gap["partialFingerprints"]


def test_sarif_lists_a_young_version(repo: Path) -> None:
    (repo / ".scoper-ignore.toml").unlink()
    code, text = _run(repo, "sarif")
    assert code == 1
    results = json.loads(text)["runs"][0]["results"]
    (young,) = [r for r in results if r["ruleId"] == "scoper/min-age/too-young"]
    assert "fresh-pkg 1.0.0" in young["message"]["text"]
    assert young["locations"][0]["physicalLocation"]["region"] == {"startLine": 12}


def test_junit_has_a_failing_case_per_gap_and_young_version(repo: Path) -> None:
    (repo / ".scoper-ignore.toml").unlink()
    code, text = _run(repo, "junit")
    assert code == 1
    suite = ET.fromstring(text.split("?>", 1)[1])
    names = {c.get("name"): c.find("failure") is not None for c in suite.iter("testcase")}
    assert names["gap unpinned demo >=1.0"] is True
    assert names["min-age fresh-pkg 1.0.0"] is True
    assert suite.get("failures") == str(sum(names.values()))

"""GitHub Actions workflow files: uses: refs as packages, detection by content, the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.sources.base import ParseContext
from scoper.sources.ci.github_workflow import SOURCE

ROOT = Path(__file__).resolve().parents[3]
WORKFLOW = ROOT / "fixtures" / "incident-trivy" / "repo" / ".github" / "workflows" / "security.yml"
BAD_SHA = "0e58ed8671d6b60d0890c21b07f8835ace038e67"


def test_uses_refs_are_packages_at_their_lines() -> None:
    records = SOURCE.parse(WORKFLOW, ParseContext(display="security.yml"))
    found = [
        (p.ecosystem, p.name, p.version, p.commit, p.location, p.origin.line)
        for p in records.packages
    ]
    checkout = "34e114876b0b11c390a56381ad16ebd13914f8d5"
    assert found == [
        ("GitHub Actions", "actions/checkout", checkout, checkout, None, 9),
        ("GitHub Actions", "aquasecurity/trivy-action", "0.34.2", None, None, 10),
        ("GitHub Actions", "aquasecurity/trivy-action", "0.35.0", None, None, 13),
        ("GitHub Actions", "tj-actions/changed-files", "v45", None, None, 14),
        ("GitHub Actions", "acme/shared-workflows", "main", None, ".github/workflows/scan.yml", 18),
    ]
    notes = [(s.origin.line, s.reason, s.informational) for s in records.skipped]
    assert notes == [
        (15, "./.github/actions/local: local action: no action repository", True),
        (16, "docker://alpine:3.20: Docker image, not an action repository", True),
    ]
    [artifact] = records.artifacts
    assert artifact.kind == "lockfile"


def test_detected_by_content_outside_github_workflows(tmp_path: Path) -> None:
    moved = tmp_path / "ci.yaml"
    moved.write_text("name: x\non:\n  push:\njobs:\n  a:\n    steps:\n      - uses: A/B@v1\n")
    assert detect(moved).name == "github-workflow"
    [package] = SOURCE.parse(moved, ParseContext(display="ci.yaml")).packages
    assert (package.name, package.version, package.origin.line) == ("a/b", "v1", 7)
    other = tmp_path / "compose.yml"
    other.write_text("services:\n  on: x\njobs: 1\n")  # no top-level on:
    assert not SOURCE.sniff(other, other.read_bytes())


def test_a_workflow_without_jobs_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "workflows" / "x.yml"
    broken.parent.mkdir()
    broken.write_text("on: push\nname: nothing\n")
    with pytest.raises(InputError, match="no top-level jobs"):
        SOURCE.parse(broken, ParseContext(display="x.yml"))


def test_the_gate_fails_tag_refs_of_compromised_actions_and_warns_on_unpinned() -> None:
    _, result = api.check([WORKFLOW])
    failing = {(f.line, f.package, f.version, f.advisory) for f in result.failing()}
    assert failing == {
        (10, "aquasecurity/trivy-action", "0.34.2", "trivy-action-2026"),
        (14, "tj-actions/changed-files", "v45", "tj-actions-2025"),
    }
    unpinned = [w for w in result.warnings if "not pinned to a commit SHA" in w]
    assert [w.split(": ")[0].rsplit(":", 1)[1] for w in unpinned] == ["10", "13", "14"]
    assert "(trivy-action-2026)" in unpinned[1]  # 0.35.0 is clean, but a tag can move


def test_the_gate_fails_a_sha_pin_in_the_bad_set_and_passes_another(tmp_path: Path) -> None:
    flow = tmp_path / "w.yml"
    flow.write_text(
        "on: push\njobs:\n  a:\n    steps:\n"
        f"      - uses: tj-actions/changed-files@{BAD_SHA}\n"
        f"      - uses: tj-actions/changed-files@{'1' * 40}\n"
    )
    _, result = api.check([flow])
    assert [(f.line, f.advisory) for f in result.failing()] == [(5, "tj-actions-2025")]
    assert not [w for w in result.warnings if "not pinned" in w]


def test_quoted_on_quoted_uses_sub_paths_and_reusable_workflows() -> None:
    sample = ROOT / "tests" / "data" / "github_workflow" / "ci.yml"
    assert detect(sample).name == "github-workflow"
    records = SOURCE.parse(sample, ParseContext(display="ci.yml"))
    found = [(p.name, p.version, p.location, p.origin.line) for p in records.packages]
    assert found == [
        ("actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", None, 14),
        ("actions/setup-python", "v5", None, 18),
        ("github/codeql-action", "v3", "init", 19),
        ("acme/shared", "refs/heads/main", ".github/workflows/release.yml", 25),
    ]
    assert [s.origin.line for s in records.skipped] == [20, 21]

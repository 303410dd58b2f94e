"""fixtures/incident-trivy/: the TeamPCP trivy-action incident scoped end to end.

CI job logs across 2026-03-19/20 (README.md tells the story): one job used a force-pushed
tag inside the window and lost its secrets; a SHA pin used during setup-trivy's window is
possible (pins older than 2025-04-09 pulled setup-trivy unpinned; the pin's age is not in
the log); 0.35.0, a tag used before the window and the v-prefixed tag re-published after
it are cleared, each with its reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.feeds.bundled import require
from scoper.scope.actions import judge
from scoper.scope.confidence import Confidence

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "fixtures/incident-trivy"
CI = f"{FOLDER}/ci"
WORKFLOW = f"{FOLDER}/repo/.github/workflows/security.yml"


def _job(n: int) -> str:
    return f"github:acme/platform/runs/{23300000000 + n}/attempts/1/jobs/{67000000000 + n}"


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    db = tmp_path_factory.mktemp("trivy") / "trivy.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        paths = [CI, f"{FOLDER}/sbom", f"{FOLDER}/k8s", f"{FOLDER}/repo/.github/workflows"]
        result = _invoke(["ingest", *paths, "--db", str(db)])
        assert result.exit_code == 0, result.output
        yield db


def _scope(db: Path, advisory: str) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        result = _invoke(
            ["scope", "--advisory", advisory, "--db", str(db), "-f", "json", "--cleared"]
        )
    assert result.exit_code == 1, result.output  # findings
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def action(store: Path) -> dict[str, Any]:
    return _scope(store, "trivy-action-2026")


def test_the_rewritten_tag_inside_the_window_is_the_one_exposed_job(
    action: dict[str, Any],
) -> None:
    session, pinned = action["sessions"]
    assert (session["session_id"], session["confidence"]) == (_job(1), "confirmed")
    assert (pinned["session_id"], pinned["confidence"]) == (_job(3), "possible")
    assert (
        "pins to commits before 2025-04-09 pulled aquasecurity/setup-trivy unpinned"
        in (pinned["evidence"][0]["fact"])
    )
    assert session["first_exposed"] == "2026-03-19T19:10:10.100001Z"
    facts = [(e["file"], e["line"], e["fact"]) for e in session["evidence"]]
    fact = (
        "used aquasecurity/trivy-action@0.34.2 (SHA 80bbb3a59e66): used tag 0.34.2 while it "
        "pointed to the bad commit (payload runs at install)"
    )
    assert facts == [(f"{CI}/scan-rewritten.txt", 11, fact), (f"{CI}/scan-rewritten.txt", 20, fact)]
    assert action["summary"]["sessions"] == 2 and action["summary"]["hosts"] == 2


def test_the_workflow_file_lists_the_rewritten_tag(action: dict[str, Any]) -> None:
    files = {
        (e["file"], e["line"], e["fact"], env["confidence"])
        for env in action["environments"]
        for e in env["evidence"]
        if e["file"] == WORKFLOW
    }
    fact = "lockfile security.yml lists aquasecurity/trivy-action 0.34.2"
    assert files == {(WORKFLOW, 10, fact, "confirmed")}
    [clean] = [c for c in action["cleared"] if c["entity"] == "lockfile"]
    assert (clean["version"], clean["evidence"][0]["line"]) == ("0.35.0", 13)


def test_the_exposed_jobs_secrets_are_to_rotate(action: dict[str, Any]) -> None:
    found = {
        c["name"]: (c["kind"], c["confidence"], c["sessions"], c["evidence"][0]["line"])
        for c in action["credentials"]
        if c["confidence"] == "confirmed"
    }
    possible = {(c["name"], c["confidence"], tuple(c["sessions"])) for c in action["credentials"]}
    possible -= {(n, f[1], tuple(f[2])) for n, f in found.items()}
    assert possible == {
        ("GITHUB_TOKEN", "possible", (_job(3),)),
        ("NPM_TOKEN", "possible", (_job(3),)),
    }
    assert found == {
        "GITHUB_TOKEN": ("github-token", "confirmed", [_job(1)], 4),
        "AWS_SECRET_ACCESS_KEY": ("aws-access-key", "confirmed", [_job(1)], 16),
        "DOCKERHUB_TOKEN": ("generic-secret", "confirmed", [_job(1)], 17),
    }
    # the other jobs' secrets are not exposed
    assert not {"REGISTRY_TOKEN", "SONAR_TOKEN", "NPM_TOKEN", "SLACK_WEBHOOK"} & set(found)
    assert not {"REGISTRY_TOKEN", "SONAR_TOKEN", "SLACK_WEBHOOK"} & {p[0] for p in possible}


def test_every_other_use_is_cleared_with_its_reason(action: dict[str, Any]) -> None:
    cleared = {
        c["subject"]: (c["version"], c["evidence"][0]["file"], c["evidence"][0]["line"])
        for c in action["cleared"]
        if c["entity"] == "session"
    }
    assert cleared == {
        _job(0): ("0.33.0", f"{CI}/scan-early.txt", 10),
        _job(2): ("0.35.0", f"{CI}/scan-immutable.txt", 10),
        _job(4): ("v0.34.2", f"{CI}/scan-republished.txt", 10),
    }
    reasons = {c["subject"]: c["evidence"][0]["fact"] for c in action["cleared"]}
    assert len(action["cleared"]) == 4  # three jobs and the workflow's 0.35.0
    assert "before it was rewritten (2026-03-19 17:43 UTC)" in reasons[_job(0)]
    assert "ref 0.35.0 is known clean: PRIMARY" in reasons[_job(2)]
    assert "ref v0.34.2 is known clean from 2026-03-20 05:40 UTC" in reasons[_job(4)]


DIGEST = "sha256:27f446230c60bbf0b70e008db798bd4f33b7826f9f76f756606f5417100beef3"


def test_the_trivy_image_digest_in_a_pod_and_an_sbom(store: Path) -> None:
    data = _scope(store, "trivy-2026")
    [env] = data["environments"]
    assert (env["image_digest"], env["package"], env["version"], env["confidence"]) == (
        DIGEST,
        "github.com/aquasecurity/trivy",
        "0.69.4",
        "confirmed",
    )
    sbom = f"{FOLDER}/sbom/trivy-image.cdx.json"
    assert [(e["file"], e["line"]) for e in env["evidence"]] == [(sbom, 8), (sbom, 16)]
    assert env["evidence"][0]["fact"] == (
        f"sbom aquasec/trivy is image {DIGEST}, the advisory's digest of "
        "github.com/aquasecurity/trivy 0.69.4"
    )
    [pod] = data["sessions"]
    # trigger "call": running the image runs trivy, but no run of it is observed -> likely
    assert (pod["session_id"], pod["host"], pod["confidence"]) == (
        "k8s:security/image-scanner-7c9d4-x2b1q",
        "node-4",
        "likely",
    )
    assert (pod["evidence"][0]["file"], pod["evidence"][0]["line"]) == (
        f"{FOLDER}/k8s/scanner-pods.events.jsonl",
        1,
    )
    [token] = data["credentials"]
    assert (token["name"], token["confidence"]) == ("image-scanner service-account token", "likely")
    # the job logs name trivy-action, not trivy: no CI job is in this record's answer
    assert not any(s["session_id"].startswith("github:") for s in data["sessions"])


def _affected(advisory: str, name: str) -> Any:
    adv = require(advisory)
    return adv, next(a for a in adv.affected if a.name == name)


def test_the_changed_files_run_of_2026_is_after_the_tj_actions_window(store: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        args = [
            "scope",
            "--advisory",
            "tj-actions-2025",
            "--db",
            str(store),
            "-f",
            "json",
            "--cleared",
        ]
        result = _invoke(args)
    data = json.loads(result.stdout)
    assert data["sessions"] == []
    [job] = [c for c in data["cleared"] if c["entity"] == "session"]
    assert (job["subject"], job["evidence"][0]["line"]) == (_job(5), 10)
    assert "used tag v45 after the window (2025-03-16 00:00 UTC)" in job["evidence"][0]["fact"]


def test_a_bad_commit_is_confirmed_at_any_time_and_a_tag_by_its_window() -> None:
    adv, changed = _affected("tj-actions-2025", "tj-actions/changed-files")
    bad = "0e58ed8671d6b60d0890c21b07f8835ace038e67"
    [(start, end, level, reason)] = judge(changed, adv.windows, "v45", bad)
    assert (start, end, level) == (None, None, Confidence.CONFIRMED)
    assert reason == "ran bad commit 0e58ed8671d6 (tags v1 through v45.0.7)"
    [(_, _, pinned, _)] = judge(changed, adv.windows, bad, None)
    assert pinned is Confidence.CONFIRMED
    levels = [s[2] for s in judge(changed, adv.windows, "v45", None)]
    # before, the window, its uncertain tail (conservative end), after
    assert levels == [None, Confidence.CONFIRMED, Confidence.POSSIBLE, None]
    assert judge(changed, adv.windows, "v46.0.1", None)[0][2] is None

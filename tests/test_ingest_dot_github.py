"""Folder ingest walks ``.github/workflows`` and still skips other hidden folders."""

from __future__ import annotations

from pathlib import Path

from scoper import api

ROOT = Path(__file__).resolve().parent
WORKFLOW = (ROOT / "data/github_workflow/ci.yml").read_text()


def test_a_repository_folder_yields_its_workflows_not_git_or_venv(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/ci.yml").write_text(WORKFLOW)
    (repo / ".github/CODEOWNERS").write_text("* @acme/owners\n")  # not evidence: not walked
    (repo / ".github/dependabot.yml").write_text("version: 2\nupdates: []\n")
    (repo / ".git").mkdir()
    (repo / ".git/config").write_text("[core]\n")
    (repo / ".venv/bin").mkdir(parents=True)
    (repo / ".venv/bin/activate").write_text("# venv\n")
    (repo / ".github.bak").write_text("stray\n")  # a hidden file named like it: skipped
    (repo / "requirements.txt").write_text("requests==2.32.3\n")
    summary = api.ingest([repo], db=str(tmp_path / "s.duckdb"))
    got = {(Path(r.path).relative_to(repo).as_posix(), r.format, r.status) for r in summary.results}
    assert got == {
        (".github/workflows/ci.yml", "github-workflow", "ok"),
        ("requirements.txt", "requirements.txt", "ok"),
    }
    assert not summary.failed

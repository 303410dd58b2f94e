"""A project folder with every kind of manifest ingests with no error, no --format needed."""

from __future__ import annotations

import shutil
from pathlib import Path

from scoper import api
from scoper.ingest import detect

DATA = Path(__file__).resolve().parents[2] / "data"
MANIFESTS = {
    "pyproject.toml": "pyproject/flask/pyproject.toml",
    "Pipfile": "pipfile/examples/Pipfile",
    "setup.cfg": "setup_cfg/tox/setup.cfg",
    "package.json": "package_json/express/package.json",
    "pixi.lock": "pixi/v6-mixed/pixi.lock",
}


def test_a_project_folder_with_all_manifests_ingests(tmp_path: Path) -> None:
    for name, sample in MANIFESTS.items():
        shutil.copy(DATA / sample, tmp_path / name)
    assert {detect(tmp_path / name).name for name in MANIFESTS} == set(MANIFESTS)
    summary, result = api.check([tmp_path], advisory="litellm-2025")
    assert summary.failed == []
    assert sorted(r.format or "" for r in summary.results) == sorted(MANIFESTS)
    assert result.findings == ()

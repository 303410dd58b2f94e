"""A folder mixing every evidence shape scoper reads ingests without an error."""

from __future__ import annotations

import shutil
from pathlib import Path

from scoper.api import ingest
from scoper.sources.registry import all_sources
from scoper.store.db import MEMORY

DATA = Path(__file__).resolve().parent / "data"
NOT_EVIDENCE = {"pypi", "feeds"}  # recorded registry responses (OSV records are noted)
NOT_EVIDENCE |= {"pip_audit_runs"}  # recorded pip-audit runs and the fake that replays them
NOT_EVIDENCE |= {"record"}  # Claude Code hook payloads


def test_every_sample_folder_ingests_together(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed"
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir() and p.name not in NOT_EVIDENCE):
        # the OSV JSON Schema is neither evidence nor an advisory
        shutil.copytree(folder, mixed / folder.name, ignore=shutil.ignore_patterns("osv-schema"))
    summary = ingest([mixed], db=MEMORY)
    failed = [(r.path, r.error) for r in summary.results if r.status in ("error", "unknown")]
    assert failed == []
    read = {r.format for r in summary.results if r.status in ("ok", "partial")}
    # scoper-events samples live in fixtures/, zip bundles are built by their own tests
    assert {s.name for s in all_sources()} - read == {"scoper-events", "zip"}

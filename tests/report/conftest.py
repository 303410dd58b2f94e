"""Fixtures shared by the report tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import scoper
from scoper.scope.result import ScopeResult
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def incident(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScopeResult]:
    """The sample incident's scope result, ingested with stable relative paths."""
    db = tmp_path_factory.mktemp("incident") / "s.duckdb"
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        settings = Settings(db=str(db), fingerprint_key="golden-test-key")
        with scoper.Store.open(settings) as store:
            assert not store.ingest([Path("fixtures/incident")]).failed
            yield store.scope("litellm-2025")
    finally:
        os.chdir(here)

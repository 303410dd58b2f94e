"""Shared test fixtures: the conformance corpus beside the checkout, temp stores."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


def corpus_root() -> Path | None:
    """``$SCOPER_CORPUS``, else ``../shared/corpus`` beside the checkout, else None."""
    env = os.environ.get("SCOPER_CORPUS")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared conformance corpus; skips the test with a clear reason when absent."""
    root = corpus_root()
    if root is None:
        pytest.skip(
            "conformance corpus not found: set SCOPER_CORPUS or place shared/corpus "
            "beside the checkout"
        )
    return root

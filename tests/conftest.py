"""Shared test fixtures: the conformance corpus beside the checkout, temp stores."""

from __future__ import annotations

import os
from collections import Counter
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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many corpus conformance cases pass, per test file."""
    counts: dict[str, Counter[str]] = {}
    for outcome in ("passed", "failed", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            counted = outcome == "skipped" or getattr(report, "when", "") == "call"
            if "conformance/" in nodeid and counted:
                counts.setdefault(nodeid.split("::")[0], Counter())[outcome] += 1
    if not counts:
        return
    terminalreporter.section("corpus conformance")
    total: Counter[str] = Counter()
    for file, c in sorted(counts.items()):
        total.update(c)
        terminalreporter.write_line(
            f"{file}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped"
        )
    terminalreporter.write_line(
        f"all corpus cases: {total['passed']} passed, {total['failed']} failed, "
        f"{total['skipped']} skipped (deviations: tests/conformance/DEVIATIONS.md)"
    )

"""The rich tables fit 80 columns and never cut a key field; the counts say what they count."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

import scoper
from scoper.report.table import headline, print_check, print_scope
from scoper.scope.check import CheckResult
from scoper.scope.result import ScopeResult
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(
    incident: ScopeResult, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ScopeResult, CheckResult]]:
    """The sample incident's scope result (the shared fixture) and the check of fixtures/check."""
    db = tmp_path_factory.mktemp("table") / "c.duckdb"
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        with scoper.Store.open(Settings(db=str(db))) as store:
            store.ingest([Path("fixtures/check")])
            yield incident, store.check()
    finally:
        os.chdir(here)


def _cells(text: str) -> list[str]:
    """Every table cell's text with its wrapped lines joined and whitespace dropped."""
    cells: list[str] = []
    row: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("│"):
            parts = line.strip("│").split("│")
            row = row or [[] for _ in parts]
            for column, part in zip(row, parts, strict=True):
                column.append(part.strip())
        elif row and line[:1] in ("├", "└"):
            cells += ["".join(c).replace(" ", "") for c in row]
            row = []
    return cells


def _render(draw: object, *args: object) -> str:
    console = Console(width=80, record=True, highlight=False, color_system=None)
    draw(console, *args)  # type: ignore[operator]
    return console.export_text()


def _key_in(key: str, cells: list[str]) -> bool:
    return any(key.replace(" ", "") in cell for cell in cells)


def test_scope_table_fits_80_columns_with_every_key_field_whole(
    results: tuple[ScopeResult, CheckResult],
) -> None:
    scope, _ = results
    text = _render(print_scope, scope)
    assert "…" not in text
    table_lines = [line for line in text.splitlines() if line[:1] in "┏┃┡│├└"]
    assert table_lines and max(len(line) for line in table_lines) <= 80
    cells = _cells(text)
    keys = [s.session_id for s in scope.sessions] + [h.host for h in scope.hosts]
    keys += [c.name for c in scope.credentials] + [c.identity for c in scope.credentials]
    keys += [f"{s.evidence[-1].file}:{s.evidence[-1].line}" for s in scope.sessions]
    keys += [e.image_digest or e.environment or "" for e in scope.environments]
    use = next(c for c in scope.credentials if c.used_after_exposure).used_after_exposure[0]
    keys += [f"{use.evidence.file}:{use.evidence.line}", use.source_ip or ""]
    missing = [k for k in keys if not _key_in(k, cells)]
    assert missing == []


def test_headline_counts_each_kind_on_its_own(results: tuple[ScopeResult, CheckResult]) -> None:
    scope, _ = results
    assert headline(scope).splitlines() == [
        "exposed:",
        "  6 environments (confirmed 3, likely 1, possible 2)",
        "  5 sessions (confirmed 1, likely 2, possible 2)",
        "  4 hosts (confirmed 1, likely 2, possible 1)",
        "  8 credentials (confirmed 1, likely 5, possible 2)",
        "cleared (not exposed): 5",  # + a Python start after a downgrade
    ]
    assert "  5 sessions (confirmed 1, likely 2, possible 2)" in _render(print_scope, scope)


def test_check_table_names_file_line_and_package_in_full(
    results: tuple[ScopeResult, CheckResult],
) -> None:
    _, check = results
    assert check.findings
    text = _render(print_check, check, "likely")
    assert "…" not in text
    cells = _cells(text)
    for f in check.findings:
        assert _key_in(f"{f.file}:{f.line}", cells), f.file
        assert _key_in(f"{f.package} {f.version}", cells)
        assert _key_in(f.advisory, cells)
    assert "FAILS" in text and "1 failing finding(s)" in text


def test_narrow_console_folds_a_long_session_id_instead_of_cutting_it(
    results: tuple[ScopeResult, CheckResult],
) -> None:
    scope, _ = results
    long = "github:acme/app/runs/23480118811/attempts/1/jobs/68211474402"
    text = _render(print_scope, scope)
    assert long not in text  # it does not fit one 80-column cell ...
    assert _key_in(long, _cells(text))  # ... so it is folded, whole, over lines

"""Generated documentation stays in step with the code."""

from __future__ import annotations

from pathlib import Path

from scoper.report.formats_doc import formats_markdown
from scoper.sources.registry import SOURCE_MODULES, all_sources

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_formats_doc_is_current() -> None:
    assert (DOCS / "formats.md").read_text() == formats_markdown(), (
        "docs/formats.md is stale: run `scoper formats --markdown > docs/formats.md`"
    )


def test_registry_is_explicit_and_complete() -> None:
    sources = all_sources()
    assert len(sources) == len(SOURCE_MODULES)
    names = [s.name for s in sources]
    assert len(names) == len(set(names)), "format names must be unique"
    assert SOURCE_MODULES[-1] == "scoper.sources.lockfiles.requirements", (
        "content-sniffed text goes last"
    )
    for source in sources:
        assert source.summary and source.reads, source.name


def test_every_source_says_where_users_get_it() -> None:
    """Each reader names a real command, path or UI location, one line, table-safe."""
    for source in all_sources():
        obtained = source.obtained.strip()
        assert obtained, f"{source.name}: empty `obtained`"
        assert "\n" not in obtained and "|" not in obtained, source.name
    assert "| where users get it |" in formats_markdown()

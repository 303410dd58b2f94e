"""SCALIBR's lockfile expectations (corpus lockfiles/*/scalibr) against scoper's readers.

Compared per package: canonical name, version, line (where the expectation checks
lines), commit and groups (where the format has groups). scoper reports one
Package per entry (npm: per install path, Pipfile.lock: per section); SCALIBR
reports each name@version once, so scoper's rows are collapsed the same way
before comparing (groups merged: no group wins, else the union). Deliberate
differences are listed in DEVIATIONS (explained in DEVIATIONS.md);
each one is checked to still be needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_root

from scoper.errors import InputError
from scoper.model import Package
from scoper.names import canonical
from scoper.sources.base import ParseContext, Source
from scoper.sources.lockfiles import npmlock, pdmlock, pipfilelock, poetrylock, pylock, uvlock

SOURCES: dict[str, Source] = {
    "uv": uvlock.SOURCE,
    "poetry": poetrylock.SOURCE,
    "pipfile": pipfilelock.SOURCE,
    "pylock": pylock.SOURCE,
    "pdm": pdmlock.SOURCE,
    "npm": npmlock.SOURCE,
}
NO_GROUPS = {"pylock"}  # PEP 751 has no groups; SCALIBR states none
Row = tuple[str, str | None, int | None, str | None, tuple[str, ...] | None]


@dataclass(frozen=True)
class Deviation:
    """scoper's answer where it deliberately differs from SCALIBR's."""

    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    extra: tuple[Row, ...] = ()


TRANSITIVE_UV_GROUPS = {
    "click": ("cli", "dev", "test"),
    "colorama": ("cli", "dev", "test"),
    "mccabe": ("test",),
    "pycodestyle": ("test",),
    "pyflakes": ("test",),
    **dict.fromkeys(
        ("mypy-extensions", "packaging", "pathspec", "platformdirs", "tomli", "typing-extensions"),
        ("dev", "test"),
    ),
}
DEVIATIONS: dict[tuple[str, str], Deviation] = {
    # 1. uv groups include packages reached only through an extra or dev group.
    ("uv", "grouped-packages.lock"): Deviation(groups=TRANSITIVE_UV_GROUPS),
    # 2. PDM groups keep their names; SCALIBR renames every non-dev group "optional".
    ("pdm", "optional-dependency.toml"): Deviation(
        groups={"pyroute2": ("tmp",), "win-inet-pton": ("tmp",)}
    ),
    # 3. A one-line (minified) file still has a line: 1.
    ("pipfile", "minified.json"): Deviation(lines={"markupsafe": 1}),
    # 4. Git entries without a version are reported with their commit.
    ("pipfile", "no-version.json"): Deviation(
        extra=(
            ("markupsafe", None, 19, "b36054111bc1e8bbadb5d0d60158feb72926f467", ()),
            ("itsdangerous", None, 26, "de09cad488a4d7c7bbcbcdb8e1c2dfde64325f48", ("dev",)),
        )
    ),
}


def _cases() -> list[tuple[str, str]]:
    root = corpus_root()
    if root is None:
        return []
    found = []
    for fmt in SOURCES:
        folder = root / "lockfiles" / fmt / "scalibr"
        for expected in sorted(folder.rglob("*.expected.json")):
            found.append((fmt, str(expected.relative_to(folder))[: -len(".expected.json")]))
    return found


def _ecosystem(fmt: str) -> str:
    return "npm" if fmt == "npm" else "PyPI"


def _merge_groups(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return () if not a or not b else tuple(sorted(set(a) | set(b)))


def _collapse(packages: list[Package], fmt: str, lines: bool) -> set[Row]:
    merged: dict[tuple[str, str | None, str | None], tuple[int | None, tuple[str, ...]]] = {}
    for p in packages:
        key = (p.name, p.version, p.commit)
        line = p.origin.line if lines else None
        if key in merged:
            old_line, old_groups = merged[key]
            line = min(x for x in (old_line, line) if x is not None) if lines else None
            merged[key] = (line, _merge_groups(old_groups, p.groups))
        else:
            merged[key] = (line, tuple(sorted(p.groups)))
    return {
        (name, version, line, commit, None if fmt in NO_GROUPS else groups)
        for (name, version, commit), (line, groups) in merged.items()
    }


def _expected(spec: dict[str, Any], fmt: str, deviation: Deviation | None) -> set[Row]:
    rows: set[Row] = set()
    for p in spec["packages"]:
        name = canonical(_ecosystem(fmt), p["name"])
        groups = tuple(sorted(p.get("groups") or ()))
        line = p["line"] if spec["line_checked"] else None
        if deviation is not None:
            groups = deviation.groups.get(name, groups)
            line = deviation.lines.get(name, line)
        rows.add((name, p["version"], line, p["commit"], None if fmt in NO_GROUPS else groups))
    return rows | set(deviation.extra if deviation else ())


@pytest.mark.corpus
@pytest.mark.parametrize(("fmt", "fixture"), _cases(), ids=lambda v: str(v))
def test_scalibr_expectation(corpus: Path, fmt: str, fixture: str) -> None:
    folder = corpus / "lockfiles" / fmt / "scalibr"
    spec = json.loads((folder / f"{fixture}.expected.json").read_text())
    source, ctx = SOURCES[fmt], ParseContext(display=fixture)
    if spec["error"]:
        with pytest.raises(InputError):
            source.parse(folder / fixture, ctx)
        return
    records = source.parse(folder / fixture, ctx)
    assert [a.kind for a in records.artifacts] == ["lockfile"]
    got = _collapse(records.packages, fmt, spec["line_checked"])
    deviation = DEVIATIONS.get((fmt, fixture))
    assert got == _expected(spec, fmt, deviation)
    if deviation is not None:  # the deviation must still be needed
        assert got != _expected(spec, fmt, None)


@pytest.mark.corpus
def test_uv_fixtures_without_expectations(corpus: Path) -> None:
    """SKIPPED.md: these two uv files have no SCALIBR expectation; scoper's answer."""
    folder = corpus / "lockfiles" / "uv" / "scalibr"
    only_root = uvlock.SOURCE.parse(folder / "no-dependencies.lock", ParseContext("x"))
    assert only_root.packages == []
    assert [(s.origin.line, s.reason) for s in only_root.skipped] == [
        (5, "package[0]: the project itself or a workspace member (virtual source '.')"),
    ]
    header_only = uvlock.SOURCE.parse(folder / "no-packages.lock", ParseContext("x"))
    assert (header_only.packages, header_only.skipped) == ([], [])


def test_every_deviation_has_a_case() -> None:
    cases = set(_cases())
    if cases:
        assert set(DEVIATIONS) <= cases

"""`scoper check` works on every lockfile, SBOM and environment format scoper reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.sources.base import ParseContext
from scoper.sources.registry import all_sources

DATA = Path(__file__).resolve().parent / "data"
KINDS = {"lockfile", "sbom", "environment"}


def _samples(pinned: bool) -> list[tuple[str, Path]]:
    """One real sample per package-holding format: the first file each format claims.

    ``pinned``: formats with versions; else the manifests, whose packages hold only specs
    (``tests/sources/lockfiles/test_*`` check those against litellm-2025).
    """
    found: dict[str, Path] = {}
    versions: set[str] = set()
    candidates = sorted(p for p in DATA.rglob("*") if not p.name.startswith("."))
    for path in candidates:
        try:
            source = detect(path)
        except InputError:  # not every test input is meant to be detected
            continue
        if source.kind in KINDS and source.name not in versions:
            try:
                records = source.parse(path, ParseContext(display=path.name))
            except InputError:  # broken samples exist on purpose
                continue
            if any(p.version for p in records.packages):
                versions.add(source.name)
                found[source.name] = path
            elif not pinned and any(p.spec is not None for p in records.packages):
                found.setdefault(source.name, path)
    return sorted((n, p) for n, p in found.items() if (n in versions) == pinned)


SAMPLES = _samples(pinned=True)


def test_every_package_format_has_a_sample() -> None:
    wanted = {s.name for s in all_sources() if s.kind in KINDS}
    specs_only = {name for name, _ in _samples(pinned=False)}
    assert {name for name, _ in SAMPLES} | specs_only == wanted


@pytest.mark.parametrize(("fmt", "path"), SAMPLES, ids=[name for name, _ in SAMPLES])
def test_check_flags_a_bad_version_in_each_format(tmp_path: Path, fmt: str, path: Path) -> None:
    source = detect(path)
    records = source.parse(path, ParseContext(display=str(path)))
    package = next(p for p in records.packages if p.version)
    advisory = tmp_path / "adv.json"
    advisory.write_text(
        json.dumps(
            {
                "id": "TEST-CHECK-1",
                "modified": "2026-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": package.ecosystem, "name": package.name},
                        "versions": [package.version],
                    }
                ],
            }
        )
    )
    summary, result = api.check([path], advisory="TEST-CHECK-1", extra=[advisory])
    assert not summary.failed
    assert (package.name, package.version) in {(f.package, f.version) for f in result.failing()}

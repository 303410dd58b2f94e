"""The requirements.txt reader against SCALIBR and osv-scanner v1 expectations (the corpus).

Every ``*.expected.json`` under ``lockfiles/requirements/`` is one case. Names
are compared canonically (and SCALIBR's spelling against ``display_name``),
versions by scoper's policy (exact pins only; other requirements keep their
specifier), lines where the upstream test checks them, commits where given,
hashes where SCALIBR states them. Every difference that remains is listed
below and explained in DEVIATIONS.md.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from conftest import corpus_root

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.names import canonical
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.requirements import RequirementsSource

SUBDIR = Path("lockfiles") / "requirements"
OSV = "osv-scanner-v1.9.2/pip/"

# Packages scoper reports that the upstream tool leaves out (URL/path requirements).
EXTRA: dict[str, set[str]] = {
    "scalibr/example.txt": {"urllib3", "numpy", "wxpython-phoenix"},
    "scalibr/invalid.txt": {"urllib3"},
    OSV + "file-format-example.txt": {"numpy", "wxpython-phoenix"},
}
# Packages the upstream tool reports that scoper skips (invalid per PEP 508 and pip).
MISSING: dict[str, set[str]] = {"scalibr/per_req_options.txt": {"foo7"}}
# (fixture, name) -> scoper's version where pip's reading differs from the upstream tool's.
VERSION: dict[tuple[str, str], str] = {(OSV + "line-continuation.txt", "bar"): "4.5.6"}
# (fixture, name) -> scoper's hashes where they differ (malformed dropped; pip's --hash VALUE).
HASHES: dict[tuple[str, str], tuple[str, ...]] = {
    ("scalibr/per_req_options.txt", "foo4"): (),
    ("scalibr/per_req_options.txt", "foo13"): ("sha256:123",),
}
# Fixtures where upstream fails the whole file on a missing include; scoper skips the line.
ERROR_AS_SKIPPED = {OSV + "with-bad-r-option.txt"}
PINS = ("==", "===")


def fixtures() -> list[str]:
    root = corpus_root()
    if root is None or not (root / SUBDIR).is_dir():
        return ["corpus-missing"]
    found = (root / SUBDIR).rglob("*.expected.json")
    return sorted(
        p.relative_to(root / SUBDIR).as_posix().removesuffix(".expected.json") for p in found
    )


def parse(corpus: Path, fixture: str) -> Records:
    source = RequirementsSource(environ={})
    return source.parse(corpus / SUBDIR / fixture, ParseContext(display=fixture))


def wanted(expected: dict[str, Any]) -> list[tuple[dict[str, Any], str | None]]:
    """Expected entries; osv-scanner's merged groups become one entry per file."""
    entries: list[tuple[dict[str, Any], str | None]] = []
    for package in expected["packages"]:
        if "ecosystem" in package:  # osv-scanner: groups name the file it was read from
            entries += [(package, group) for group in package["groups"]]
        else:
            entries.append((package, None))
    return entries


def match(fixture: str, expected: dict[str, Any], ours: list[Package]) -> list[tuple[Any, int]]:
    """Pair each expected entry with one of our packages (by name, and file for osv)."""
    free = [i for i, p in enumerate(ours) if p.name not in EXTRA.get(fixture, set())]
    pairs: list[tuple[Any, int]] = []
    for package, group in wanted(expected):
        name = canonical("PyPI", package["name"])
        if name in MISSING.get(fixture, set()):
            assert name not in {p.name for p in ours}
            continue
        hits = [
            i
            for i in free
            if ours[i].name == name
            and (group is None or PurePosixPath(ours[i].origin.file).stem == group)
        ]
        assert hits, f"{fixture}: {package['name']} (group {group}) not reported"
        free.remove(hits[0])
        pairs.append((package, hits[0]))
    assert not free, f"{fixture}: unexpected packages {[ours[i].name for i in free]}"
    return pairs


def check_version(fixture: str, package: dict[str, Any], ours: Package) -> None:
    """Exact pins must agree; ranges must be kept as specifiers, never as versions."""
    version = package["version"]
    if (fixture, ours.name) in VERSION:
        assert ours.version == VERSION[(fixture, ours.name)]
    elif "version_comparator" in package:  # SCALIBR: version + comparator
        comparator = package["version_comparator"]
        if comparator in PINS or (comparator is None and version is None):
            assert ours.version == version
        else:
            assert ours.version is None and f"{comparator}{version}" in (ours.spec or "").split(",")
    elif version == "0.0.0":  # osv-scanner v1: unpinned
        assert ours.version is None and ours.spec is not None
    elif ours.version is None:  # osv-scanner v1 reports a range's bound as the version
        assert any(s.lstrip("=<>!~") == version for s in (ours.spec or "").split(","))
    else:
        assert ours.version == version


def check_entry(
    fixture: str, expected: dict[str, Any], package: dict[str, Any], ours: Package
) -> None:
    check_version(fixture, package, ours)
    if "version_comparator" in package:  # SCALIBR keeps the spelling of the file
        assert ours.display_name == package["name"]
        key = (fixture, ours.name)
        assert ours.hashes == HASHES.get(key, tuple(package.get("hashes", [])))
    if package.get("commit"):
        assert ours.commit == package["commit"]
    if expected["line_checked"]:
        related = package.get("related_locations") or []
        if related:  # SCALIBR points at the -r line and names the included file's line
            assert PurePosixPath(ours.origin.file).name == related[0]["file"]
            assert ours.origin.line == related[0]["line"]
        else:
            assert (ours.origin.file, ours.origin.line) == (fixture, package["line"])


@pytest.mark.corpus
@pytest.mark.parametrize("fixture", fixtures())
def test_requirements_corpus(corpus: Path, fixture: str) -> None:
    expected = json.loads((corpus / SUBDIR / f"{fixture}.expected.json").read_text("utf-8"))
    if expected["error"] and fixture not in ERROR_AS_SKIPPED:
        with pytest.raises(InputError):
            parse(corpus, fixture)
        return
    records = parse(corpus, fixture)
    if fixture in ERROR_AS_SKIPPED:
        assert any("not found" in s.reason for s in records.skipped)
        return
    pairs = match(fixture, expected, records.packages)
    for package, index in pairs:
        check_entry(fixture, expected, package, records.packages[index])
    if expected.get("ordered"):
        indexes = [index for _, index in pairs]
        assert indexes == sorted(indexes), f"{fixture}: order differs"

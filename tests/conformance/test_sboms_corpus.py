"""The SBOM readers against the shared corpus (see DEVIATIONS.md).

- SCALIBR ``sboms/scalibr/{cdx,spdx}`` fixtures with ``*.expected.json``: JSON,
  CycloneDX XML and SPDX tag-value/YAML ones must give the expected packages (name,
  version, purl type, purl, CycloneDX locations; compared per field); SPDX RDF and
  expected errors must be left unclaimed by sniff or raise InputError.
- bom-shelter: each image scanned by syft and trivy; scoper extracts exactly the
  pypi purls each file holds, and the subject digest equals index.json's.
- goldens: every file parses; subject digests and timestamps as the files say.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_root
from packageurl import PackageURL

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.names import canonical
from scoper.sources.base import ParseContext, Source
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms import (
    cyclonedx,
    cyclonedx_xml,
    spdx,
    spdx3,
    spdx_tag,
    spdx_yaml,
    syft_json,
)
from scoper.sources.sboms.fields import decode_purl

pytestmark = pytest.mark.corpus

SBOMS = Path("sboms")
MINE: tuple[Source, ...] = (  # registry order
    syft_json.SOURCE,
    cyclonedx.SOURCE,
    cyclonedx_xml.SOURCE,
    spdx3.SOURCE,
    spdx.SOURCE,
    spdx_tag.SOURCE,
    spdx_yaml.SOURCE,
)
# SCALIBR reads this format; scoper does not read SPDX RDF (DEVIATIONS.md).
NOT_READ = {"spdx/sbom.spdx.rdf"}
# SCALIBR names a CPE-only SPDX package by its CPE; scoper by the SPDX package name.
CPE_NAMES = {
    (fixture, "cpe:2.3:a:nginx:nginx:1.21.1"): "nginx"
    for fixture in ("spdx/sbom.spdx.json", "spdx/sbom.spdx", "spdx/sbom.spdx.yml")
}
_ECOSYSTEMS = {"pypi": "PyPI", "npm": "npm"}


def _corpus_files(pattern: str, under: str) -> list[str]:
    root = corpus_root()
    base = root / SBOMS / under if root else None
    if base is None or not base.is_dir():
        return ["corpus-missing"]
    return sorted(p.relative_to(base).as_posix() for p in base.rglob(pattern))


def claim(path: Path) -> Source | None:
    """The first of the SBOM readers whose sniff takes the file."""
    head = read_head(path)
    return next((s for s in MINE if s.sniff(path, head)), None)


def parse(source: Source, path: Path) -> Records:
    return source.parse(path, ParseContext(path.name))


# --- SCALIBR fixtures ----------------------------------------------------------------


SCALIBR = [f.removesuffix(".expected.json") for f in _corpus_files("*.expected.json", "scalibr")]


@pytest.mark.parametrize("fixture", SCALIBR)
def test_scalibr_fixture(corpus: Path, fixture: str) -> None:
    expected = json.loads((corpus / SBOMS / "scalibr" / f"{fixture}.expected.json").read_text())
    path = corpus / SBOMS / "scalibr" / fixture
    source = claim(path)
    if expected["error"] or fixture in NOT_READ:
        if source is not None:
            with pytest.raises(InputError):
                parse(source, path)
        return
    assert source is not None, f"{fixture}: no SBOM reader claims it"
    groups = _grouped(parse(source, path).packages)
    assert len(groups) == len(expected["packages"]), sorted(groups)
    for want in expected["packages"]:
        _compare(fixture, want, groups)


def _grouped(packages: list[Package]) -> dict[tuple[Any, ...], list[Package]]:
    """Packages per (name, version, purl): one CycloneDX component per occurrence."""
    groups: dict[tuple[Any, ...], list[Package]] = {}
    for package in packages:
        groups.setdefault((package.name, package.version, package.purl), []).append(package)
    return groups


def _compare(
    fixture: str, want: dict[str, Any], groups: dict[tuple[Any, ...], list[Package]]
) -> None:
    name = _expected_name(fixture, want)
    matches = [g for key, g in groups.items() if key[0] == name and key[2] == want["purl"]]
    assert len(matches) == 1, (
        f"{fixture}: {name} ({want['purl']}) not found once in {sorted(groups)}"
    )
    package = matches[0][0]
    assert package.version == want["version"]
    parts = decode_purl(package.purl)
    assert (parts.type if parts else None) == want["purl_type"]
    if want.get("cdx_locations"):
        assert sorted(p.location for p in matches[0]) == sorted(want["cdx_locations"])
    if package.purl is None:
        assert package.ecosystem == "generic"


def _expected_name(fixture: str, want: dict[str, Any]) -> str:
    """SCALIBR's name in scoper's convention (canonical; maven as group:artifact)."""
    if (fixture, want["name"]) in CPE_NAMES:
        return CPE_NAMES[fixture, want["name"]]
    kind = want["purl_type"]
    if kind == "maven":
        return canonical("maven", f"{want['purl_parts']['namespace']}:{want['name']}")
    return canonical(_ECOSYSTEMS.get(kind, kind or "generic"), want["name"])


# --- bom-shelter: syft vs trivy on the same image ---------------------------------------


def _shelter_index(corpus: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((corpus / SBOMS / "bom-shelter" / "index.json").read_text())
    return loaded


def _images() -> list[str]:
    root = corpus_root()
    index = root / SBOMS / "bom-shelter" / "index.json" if root else None
    if index is None or not index.is_file():
        return ["corpus-missing"]
    return sorted({e["image"] for e in json.loads(index.read_text())["entries"]})


def _raw_pypi(path: Path) -> list[tuple[str, str | None]]:
    """(canonical name, version) of every pkg:pypi purl ref, read independently of scoper."""
    doc = json.loads(path.read_text())
    found = []
    for package in doc["packages"]:
        for ref in package.get("externalRefs", []):
            if ref.get("referenceType") == "purl" and ref["referenceLocator"].startswith(
                "pkg:pypi/"
            ):
                purl = PackageURL.from_string(ref["referenceLocator"])
                found.append((canonical("PyPI", purl.name), purl.version))
    return sorted(found)


@pytest.mark.parametrize("image", _images())
def test_bom_shelter_pypi_packages_and_digest(corpus: Path, image: str) -> None:
    entries = [e for e in _shelter_index(corpus)["entries"] if e["image"] == image]
    reported: dict[str, list[tuple[str, str | None]]] = {}
    for entry in entries:
        path = corpus / SBOMS / "bom-shelter" / entry["file"]
        assert claim(path) is spdx.SOURCE
        records = parse(spdx.SOURCE, path)
        (artifact,) = records.artifacts
        assert (artifact.digest, artifact.name) == (entry["digest"], image)
        assert artifact.created_at is not None
        pypi = sorted((p.name, p.version) for p in records.packages if p.ecosystem == "PyPI")
        assert pypi == _raw_pypi(path)
        subject = 1 if artifact.origin.line is not None else 0
        assert len(records.packages) + len(records.skipped) + subject == entry["packages"]
        reported[entry["tool"]] = pypi
    syft, trivy = Counter(reported["syft"]), Counter(reported["trivy"])
    print(f"\n{image}\n  syft  ({len(reported['syft'])}): {reported['syft']}")
    print(f"  trivy ({len(reported['trivy'])}): {reported['trivy']}")
    print(f"  only syft: {sorted((syft - trivy).elements())}")
    print(f"  only trivy: {sorted((trivy - syft).elements())}")


# --- goldens ------------------------------------------------------------------------------

GOLDEN_SUBJECTS = {
    "syft-TestCycloneDxImageEncoder.json": ("user-image-input", None, None),
    "syft-TestCycloneDxDirectoryEncoder.json": ("some/path", None, None),
    "syft-TestSPDXJSONImageEncoder.json": (
        "user-image-input",
        "sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368",
        None,
    ),
    "syft-TestSPDX3JSONImageEncoder.json": (
        "user-image-input",
        "sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368",
        None,
    ),
    "trivy-fluentd-multiple-lockfiles-short.cdx.json": (
        "integration/testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz",
        "sha256:5a992077baba51b97f27591a10d54d2f2723dc9c81a3fe419e261023f2554933",
        "2021-08-25T12:20:30+00:00",
    ),
    "trivy-fluentd-multiple-lockfiles.cdx.json": (
        "testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz",
        "sha256:5a992077baba51b97f27591a10d54d2f2723dc9c81a3fe419e261023f2554933",
        "2021-08-25T12:20:30+00:00",
    ),
}


@pytest.mark.parametrize("golden", sorted(GOLDEN_SUBJECTS))
def test_golden_parses(corpus: Path, golden: str) -> None:
    path = corpus / SBOMS / "goldens" / golden
    source = claim(path)
    assert source is not None
    records = parse(source, path)
    (artifact,) = records.artifacts
    name, digest, created = GOLDEN_SUBJECTS[golden]
    assert (artifact.name, artifact.digest) == (name, digest)
    assert (artifact.created_at.isoformat() if artifact.created_at else None) == created
    assert records.packages
    assert all(p.origin.line for p in records.packages)


def test_goldens_index_is_covered(corpus: Path) -> None:
    index = json.loads((corpus / SBOMS / "goldens" / "index.json").read_text())
    assert {f["file"] for f in index["files"]} == set(GOLDEN_SUBJECTS)


# --- auto-detection through the registry ----------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [f"bom-shelter/{f}" for f in _corpus_files("spdx-*.json", "bom-shelter")]
    + [f"goldens/{g}" for g in sorted(GOLDEN_SUBJECTS)],
)
def test_registry_detects_the_sbom_reader(corpus: Path, relative: str) -> None:
    path = corpus / SBOMS / relative
    head = read_head(path)
    first = next((s for s in all_sources() if s.sniff(path, head)), None)
    assert first is claim(path)


@pytest.mark.parametrize(
    ("relative", "reader"),
    [
        ("cdx/sbom.cdx.xml", "cyclonedx-xml"),
        ("cdx/sbom.bom.xml", "cyclonedx-xml"),
        ("spdx/sbom.spdx", "spdx-tag"),
        ("spdx/sbom.spdx.yml", "spdx-yaml"),
        ("spdx/sbom.spdx.rdf", None),
        ("spdx/invalid_sbom.spdx", None),
        ("spdx/sbom.spdx.foo.ext", None),
        ("cdx/random_file.ext", None),
    ],
)
def test_scalibr_xml_and_tag_value_are_detected(
    corpus: Path, relative: str, reader: str | None
) -> None:
    path = corpus / SBOMS / "scalibr" / relative
    head = read_head(path)
    first = next((s for s in all_sources() if s.sniff(path, head)), None)
    assert (first.name if first else None) == reader
    if first is not None:
        records = parse(first, path)
        assert sorted(p.name for p in records.packages) == ["nginx", "openssl"]
        assert all(p.origin.line for p in records.packages)

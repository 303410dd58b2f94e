"""Real public SPDX tag-value documents (tests/data/spdx_tag/real/README.md names the source).

Packages are counted from the raw text here (``PackageName:`` lines and the
``PackageVersion:`` that follows each), not through scoper.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from scoper.inputs import detect
from scoper.model import Records
from scoper.sources.base import ParseContext

REAL = Path(__file__).resolve().parents[1] / "data" / "spdx_tag" / "real"
FILES = ["SPDXTagExample-v2.3.spdx", "SPDXTagExample-UTF-16.spdx", "SPDXLite.spdx"]


def raw_text(name: str) -> str:
    data = (REAL / name).read_bytes()
    return data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode()


def raw_packages(name: str) -> list[tuple[str, str | None]]:
    """(name, version) of each package, by our own reading of the tag lines."""
    found: list[list[str | None]] = []
    for line in raw_text(name).splitlines():
        tag, _, value = line.partition(":")
        if tag == "PackageName":
            found.append([value.strip(), None])
        elif tag == "PackageVersion" and found:
            found[-1][1] = value.strip()
    return [(str(n), v) for n, v in found]


def parse(name: str) -> Records:
    path = REAL / name
    return detect(path).parse(path, ParseContext(name))


@pytest.mark.parametrize("name", FILES)
def test_spdx_tag_every_package_with_its_version(name: str) -> None:
    assert detect(REAL / name).name == "spdx-tag"
    records = parse(name)
    # a package with a purl is named by it (Jena -> org.apache.jena:apache-jena), so the
    # names are compared for the others and the versions for all
    raw = raw_packages(name)
    assert sorted(p.version or "" for p in records.packages) == sorted(v or "" for _, v in raw)
    named = {(p.display_name, p.version) for p in records.packages if p.purl is None}
    assert named <= set(raw)
    assert len(named) == len(raw) - sum(1 for p in records.packages if p.purl)
    assert len(records.packages) == raw_text(name).count("\nPackageName:")
    assert records.skipped == []


def test_spdx_tag_utf16_reads_as_its_utf8_twin() -> None:
    # the UTF-16 copy is the 2.2 example: the same packages, glibc without the 2.3 BLAKE2b sum
    utf8 = {(p.display_name, p.version, p.purl) for p in parse(FILES[0]).packages}
    utf16 = {(p.display_name, p.version, p.purl) for p in parse(FILES[1]).packages}
    assert utf16 == utf8
    assert {n for n, *_ in utf16} == {
        "glibc",
        "Apache Commons Lang",
        "org.apache.jena:apache-jena",
        "Saxon",
    }
    saxon = next(p for p in parse(FILES[1]).packages if p.display_name == "Saxon")
    assert saxon.hashes == ("sha1:85ed0817af83a24ad8da68c2b5094de69833983c",)


def test_spdx_tag_purl_hashes_and_creation_time() -> None:
    records = parse(FILES[0])
    by_name = {p.display_name: p for p in records.packages}
    jena = by_name["org.apache.jena:apache-jena"]
    assert (jena.ecosystem, jena.name, jena.version) == (
        "Maven",
        "org.apache.jena:apache-jena",
        "3.12.0",
    )
    assert jena.purl == "pkg:maven/org.apache.jena/apache-jena@3.12.0"
    glibc = by_name["glibc"]
    assert (glibc.version, glibc.origin.line) == ("2.11.1", 71)
    assert "sha256:11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd" in glibc.hashes
    assert by_name["Apache Commons Lang"].version is None  # none given: never invented
    [artifact] = records.artifacts
    assert (artifact.name, artifact.created_at) == (
        "SPDX-Tools-v2.0",
        datetime(2010, 1, 29, 18, 30, 22, tzinfo=UTC),
    )


def test_spdx_lite_tab_after_the_tag() -> None:
    [package] = parse("SPDXLite.spdx").packages
    assert (package.display_name, package.version) == ("SPDX tools", "2.0.3")


# --- GitHub dependency-submission snapshots (tests/data/github_snapshot/real/README.md) ---

SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "github_snapshot" / "real"
SNAPSHOT_FILES = sorted(p.name for p in SNAPSHOTS.glob("*.json"))


def snapshot(name: str) -> Records:
    path = SNAPSHOTS / name
    return detect(path).parse(path, ParseContext(name))


def raw_resolved(name: str) -> list[tuple[str, str, bool]]:
    """(manifest, package_url, direct) of every resolved entry, read with json here."""
    doc = json.loads((SNAPSHOTS / name).read_text())
    return [
        (key, entry["package_url"], entry.get("relationship") == "direct")
        for key, manifest in doc["manifests"].items()
        for entry in manifest.get("resolved", {}).values()
    ]


def test_snapshot_samples_are_three() -> None:
    assert len(SNAPSHOT_FILES) == 3


@pytest.mark.parametrize("name", SNAPSHOT_FILES)
def test_snapshot_every_resolved_entry_is_a_package(name: str) -> None:
    assert detect(SNAPSHOTS / name).name == "github-snapshot"
    records = snapshot(name)
    raw = raw_resolved(name)
    got = sorted((p.artifact_key, unquote(p.purl or ""), bool(p.direct)) for p in records.packages)
    assert got == sorted((f"manifest:{m}", unquote(u), d) for m, u, d in raw)
    assert all(p.version for p in records.packages)
    assert records.skipped == []
    doc = json.loads((SNAPSHOTS / name).read_text())
    assert {a.key for a in records.artifacts} == {f"manifest:{m}" for m in doc["manifests"]}


def test_snapshot_toolkit_names_versions_and_time() -> None:
    records = snapshot("dependency-submission-toolkit-snapshot.json")
    got = {(p.ecosystem, p.name, p.version, p.direct) for p in records.packages}
    assert got == {
        ("npm", "@github/dependency-submission-toolkit", "0.1.2", True),
        ("npm", "@actions/core", "1.6.0", False),
    }
    [artifact] = records.artifacts
    assert artifact.created_at == datetime(2022, 6, 4, 5, 7, 6, 457000, tzinfo=UTC)


def test_snapshot_syft_redacted_scan_time_is_no_time() -> None:
    records = snapshot("syft-TestGithubImageEncoder.golden.json")
    [package] = records.packages
    assert (package.ecosystem, package.name, package.version) == ("deb", "package-2", "2.0.1")
    assert all(a.created_at is None for a in records.artifacts)  # "scanned": "redacted"

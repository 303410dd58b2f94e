"""Real public SPDX tag-value documents (tests/data/spdx_tag/real/README.md names the source).

Packages are counted from the raw text here (``PackageName:`` lines and the
``PackageVersion:`` that follows each), not through scoper.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

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

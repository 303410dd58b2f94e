"""CycloneDX XML reader: same records as the JSON form, lines, namespaces, unsafe XML, fuzzing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms.cyclonedx_xml import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "cyclonedx_xml"
SAMPLES = (
    "laravel-7.12.0.bom.1.4.xml",
    "valid-component-hashes-1.5.xml",
    "valid-bom-1.6.xml",
    "valid-evidence-1.6.xml",
)


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def _independent(name: str) -> list[tuple[str | None, str | None, int]]:
    """(name, purl, line) of every component under <components>, read by ElementTree + text."""
    text = (DATA / name).read_text()
    root = ET.fromstring(text)
    ns = root.tag[: root.tag.index("}") + 1]
    found: list[tuple[str | None, str | None, int]] = []

    def walk(parent: ET.Element | None) -> None:
        for component in parent.findall(f"{ns}component") if parent is not None else []:
            found.append((component.findtext(f"{ns}name"), component.findtext(f"{ns}purl"), 0))
            walk(component.find(f"{ns}components"))

    walk(root.find(f"{ns}components"))
    lines = [i for i, line in enumerate(text.splitlines(), 1) if "<component " in line]
    metadata = root.find(f"{ns}metadata")
    if metadata is not None and metadata.find(f"{ns}component") is not None:
        lines = [n for n in lines if n != _metadata_line(text)]
    lines = [n for n in lines if not _in_pedigree(text, n)]
    return [(n, p, line) for (n, p, _), line in zip(found, lines, strict=True)]


def _metadata_line(text: str) -> int:
    start = text.index("<metadata>")
    return text[: text.index("<component ", start)].count("\n") + 1


def _in_pedigree(text: str, line: int) -> bool:
    """True when the line lies inside a <pedigree> block (ancestors are not components)."""
    before = "\n".join(text.splitlines()[: line - 1])
    return before.count("<pedigree>") > before.count("</pedigree>")


@pytest.mark.parametrize("name", SAMPLES)
def test_components_against_an_independent_read(name: str) -> None:
    records = parse(name)
    want = _independent(name)
    got = sorted({(p.purl or p.display_name, p.origin.line) for p in records.packages})
    assert got == sorted({(p or n, line) for n, p, line in want})
    assert all(p.origin.line for p in records.packages)


def test_laravel_counts_and_namespaced_names() -> None:
    records = parse("laravel-7.12.0.bom.1.4.xml")
    text = (DATA / "laravel-7.12.0.bom.1.4.xml").read_text()
    assert len(records.packages) == text.count("<purl><![CDATA[pkg:composer/") - 1  # subject
    names = {p.name for p in records.packages}
    assert "laravel/framework" in names
    assert {p.ecosystem for p in records.packages} == {"Packagist"}


def test_hashes_and_occurrences() -> None:
    (package,) = parse("valid-component-hashes-1.5.xml").packages
    assert package.hashes[:3] == (
        "md5:641b6e166f8b33c5e959e2adcc18b1c7",
        "sha1:9188560f22e0b73070d2efce670c74af2bdf30af",
        "sha256:d88bc4e70bfb34d18b5542136639acbb26a8ae2429aa1e47489332fb389cc964",
    )
    findbugs = [
        p for p in parse("valid-evidence-1.6.xml").packages if p.name.endswith(":findbugs-project")
    ]
    assert sorted(str(p.location) for p in findbugs) == [
        "/another/path/to/component",
        "/path/to/component",
    ]


def test_subject_and_timestamp_from_metadata() -> None:
    (artifact,) = parse("valid-bom-1.6.xml").artifacts
    assert artifact.name == "Acme Application"
    assert artifact.origin.line == 23
    assert artifact.created_at is not None and artifact.created_at.isoformat() == (
        "2020-04-13T20:20:39+00:00"
    )


def test_same_records_as_the_json_reader(tmp_path: Path) -> None:
    """The trivy-shaped JSON sample, written as XML, gives the same packages."""
    xml = tmp_path / "image.cdx.xml"
    xml.write_text(
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">\n'
        "  <metadata>\n    <timestamp>2026-03-24T11:02:07Z</timestamp>\n"
        '    <component type="container" bom-ref="img">\n'
        "      <name>ghcr.io/acme/agent-runner:2026.03.24</name>\n"
        "      <purl>pkg:oci/agent-runner@sha256%3A" + "ab" * 32 + "</purl>\n"
        "    </component>\n  </metadata>\n  <components>\n"
        '    <component type="application">\n      <name>python</name>\n'
        "      <properties>\n"
        '        <property name="aquasecurity:trivy:Class">lang-pkgs</property>\n'
        "      </properties>\n      <components>\n"
        '        <component type="library">\n          <name>LiteLLM</name>\n'
        "          <version>1.82.7</version>\n"
        '          <hashes><hash alg="SHA-256">' + "7f" * 32 + "</hash></hashes>\n"
        "          <purl>pkg:pypi/litellm@1.82.7</purl>\n        </component>\n"
        "      </components>\n    </component>\n  </components>\n</bom>\n"
    )
    records = SOURCE.parse(xml, ParseContext("image.cdx.xml"))
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest) == (
        "ghcr.io/acme/agent-runner:2026.03.24",
        "sha256:" + "ab" * 32,
    )
    assert artifact.origin.line == 5
    (litellm,) = records.packages
    assert (litellm.name, litellm.display_name, litellm.version) == ("litellm", "LiteLLM", "1.82.7")
    assert (litellm.hashes, litellm.origin.line) == (("sha256:" + "7f" * 32,), 17)
    (note,) = records.skipped
    assert note.informational and note.origin.line == 11


@pytest.mark.parametrize("name", SAMPLES)
def test_registry_detects_cyclonedx_xml(name: str) -> None:
    path = DATA / name
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is SOURCE


BOMB = """<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components><component type="library">
<name>&b;</name></component></components></bom>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "refused XML"),
        ('<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>', "invalid XML"),
        ('<bom xmlns="http://example.org/other"/>', "not a CycloneDX XML"),
        ("<html/>", "not a CycloneDX XML"),
    ],
)
def test_broken_or_unsafe_documents_raise_input_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.cdx.xml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(path, ParseContext("bad.cdx.xml"))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations((DATA / "valid-evidence-1.6.xml").read_bytes()))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.cdx.xml")

"""SPDX 3 JSON-LD reader: graph packages, the root image, errors, fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.sboms.spdx3 import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "spdx3"
IMAGE_DIGEST = "sha256:9a3c1f7e2b4d6a8c0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d"


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def test_root_image_is_the_subject() -> None:
    records = parse("image.spdx3.json")
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest) == ("ghcr.io/acme/agent-runner", IMAGE_DIGEST)
    assert artifact.created_at == datetime(2026, 3, 24, 11, 9, 12, tzinfo=UTC)
    assert artifact.origin.line == 12
    assert [p.name for p in records.packages] == ["litellm", "openssl"]


def test_packages_purls_versions_hashes_lines() -> None:
    litellm, openssl = parse("image.spdx3.json").packages
    assert (litellm.ecosystem, litellm.version, litellm.purl) == (
        "PyPI",
        "1.82.7",
        "pkg:pypi/litellm@1.82.7",
    )
    assert litellm.hashes == ("sha256:" + "abcdef0123456789" * 3 + "abcdef01234567",)
    assert litellm.location == (
        "/opt/venv/lib/python3.12/site-packages/litellm-1.82.7.dist-info/METADATA"
    )
    assert litellm.origin.line == 21
    assert (openssl.ecosystem, openssl.version) == ("deb", "3.0.15-1~deb12u1")  # packageUrl id
    assert openssl.origin.line == 33


def test_library_roots_stay_packages() -> None:
    records = parse("libraries.spdx.json")
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest) == ("example7-third-party-modules.spdx", None)
    assert artifact.created_at == datetime(2020, 11, 25, 1, 12, 27, tzinfo=UTC)
    text, quote = records.packages
    assert (text.ecosystem, text.name) == ("Go", "golang.org/x/text")
    assert text.version == "v0.0.0-20170915032832-14c0d48ead0c"
    assert (quote.ecosystem, quote.version, quote.purl) == ("generic", "v1.5.2", None)
    assert [s.reason for s in records.skipped] == ["@graph[3]: no usable purl and no name"]


def test_sniff() -> None:
    assert SOURCE.sniff(Path("x.json"), (DATA / "image.spdx3.json").read_bytes())
    assert SOURCE.sniff(Path("x.spdx.json"), (DATA / "libraries.spdx.json").read_bytes())
    assert not SOURCE.sniff(Path("x.json"), b'{"@graph": []}')
    assert not SOURCE.sniff(Path("x.spdx.json"), b'{"spdxVersion": "SPDX-2.3"}')
    assert not SOURCE.sniff(Path("x.jsonld"), b"<rdf:RDF>")


@pytest.mark.parametrize(
    ("content", "place"),
    [
        ('{"@graph": []}', "@context"),
        ('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}', "@graph"),
        ("[1, 2]", "@context"),
        ('{"@context": "https://spdx.org/rdf/3.0.1/x", "@graph": [', "line 1 column 57"),
    ],
)
def test_broken_documents_raise_input_error(tmp_path: Path, content: str, place: str) -> None:
    path = tmp_path / "bad.spdx3.json"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        SOURCE.parse(path, ParseContext("bad.spdx3.json"))
    assert info.value.place == place


SAMPLE = (DATA / "image.spdx3.json").read_bytes()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLE))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx3.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLE)))
def test_fuzz_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx3.json")


SPDX_EXAMPLES = (
    "simplehtr-ai.spdx3.json",
    "sentiment-ai.spdx3.json",
    "examplemaven-enriched.spdx3.json",
)


@pytest.mark.parametrize("name", SPDX_EXAMPLES)
def test_every_package_element_is_a_package_a_skip_or_the_subject(name: str) -> None:
    """Counted independently: every @graph element whose type ends in Package."""
    graph = json.loads((DATA / name).read_text())["@graph"]
    elements = [e for e in graph if str(e.get("type", "")).endswith("Package")]
    records = SOURCE.parse(DATA / name, ParseContext(name))
    subject = 1 if records.artifacts[0].origin.line is not None else 0
    assert len(records.packages) + len(records.skipped) + subject == len(elements)
    names = sorted(e["name"] for e in elements if e["type"] == "software_Package")
    assert sorted(p.display_name for p in records.packages) == names
    assert all(p.origin.line for p in records.packages)


def test_ai_and_dataset_packages_are_informational_skips() -> None:
    records = SOURCE.parse(DATA / "sentiment-ai.spdx3.json", ParseContext("ai"))
    assert records.packages == []
    assert [s.reason.split(": ", 1)[1].split(" ")[0] for s in records.skipped] == [
        "dataset_DatasetPackage",
        "ai_AIPackage",
    ]
    assert all(s.informational for s in records.skipped)


def test_package_types_as_iri_list_and_unknown(tmp_path: Path) -> None:
    context = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    graph = [
        {
            "type": ["software_Package"],
            "spdxId": "a",
            "name": "one",
            "software_packageUrl": "pkg:pypi/one@1",
        },
        {"type": "https://spdx.org/rdf/3.0.1/terms/Software/Package", "spdxId": "b", "name": "two"},
        {"type": "ai_AIPackage", "spdxId": "c", "name": "m", "software_packageUrl": "pkg:pypi/m@2"},
        {"type": "acme_WeirdPackage", "spdxId": "d", "name": "w"},
    ]
    path = tmp_path / "types.spdx3.json"
    path.write_text(json.dumps({"@context": context, "@graph": graph}, indent=1))
    records = SOURCE.parse(path, ParseContext("types"))
    assert [p.name for p in records.packages] == ["one", "two", "m"]
    (skipped,) = records.skipped
    assert "unknown package type acme_WeirdPackage" in skipped.reason
    assert not skipped.informational

"""CycloneDX JSON reader: subjects, nested components, locations, errors, fuzzing."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import ParseContext
from scoper.sources.sboms.cyclonedx import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "cyclonedx"
IMAGE_DIGEST = "sha256:9a3c1f7e2b4d6a8c0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d"


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def by_name(records: Records) -> dict[str, Package]:
    return {p.name: p for p in records.packages}


def test_trivy_image_subject_digest_name_and_time() -> None:
    (artifact,) = parse("trivy-image.cdx.json").artifacts
    assert artifact.kind == "sbom"
    assert artifact.name == "ghcr.io/acme/agent-runner:2026.03.24"
    assert artifact.digest == IMAGE_DIGEST  # RepoDigest, not ImageID
    assert artifact.created_at == datetime(2026, 3, 24, 11, 2, 7, 123456, tzinfo=UTC)
    assert artifact.origin.line == 14


def test_trivy_image_packages() -> None:
    records = parse("trivy-image.cdx.json")
    packages = by_name(records)
    assert sorted(packages) == ["@anthropic-ai/claude-code", "libc6", "litellm", "login", "pyyaml"]
    litellm = packages["litellm"]
    assert (litellm.ecosystem, litellm.version, litellm.purl) == (
        "PyPI",
        "1.82.7",
        "pkg:pypi/litellm@1.82.7",
    )
    assert (
        litellm.location
        == "opt/venv/lib/python3.12/site-packages/litellm-1.82.7.dist-info/METADATA"
    )
    assert litellm.hashes == (
        "sha256:7f3e1b0a9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f",
        "sha1:d1c0ffee00000000000000000000000000000001",
    )
    assert litellm.origin.line == 66
    assert packages["pyyaml"].display_name == "PyYAML"
    assert packages["login"].version == "1:4.13+dfsg1-1"  # epoch from the purl qualifier
    assert packages["libc6"].location == "layer:sha256:" + "1" * 64
    assert packages["@anthropic-ai/claude-code"].ecosystem == "npm"
    assert all(p.artifact_key == records.artifacts[0].key for p in records.packages)


def test_trivy_grouping_nodes_are_informational_skips() -> None:
    skipped = parse("trivy-image.cdx.json").skipped
    assert [(s.reason, s.informational) for s in skipped] == [
        ("components[0]: trivy scan target (os-pkgs/lang-pkgs), not a package", True),
        ("components[3]: trivy scan target (os-pkgs/lang-pkgs), not a package", True),
    ]


def test_nested_components_at_any_depth_and_not_metadata() -> None:
    records = parse("nested.cdx.json")
    names = [p.name for p in records.packages]
    assert names == [
        "fastapi",
        "starlette",
        "starlette",
        "anyio",
        "internal-tool",
        "nginx",
        "ctx",
    ]
    assert "not-walked" not in names
    assert records.artifacts[0].name == "billing-service"
    assert records.artifacts[0].created_at is None  # no timestamp: never invented


def test_occurrences_give_one_package_per_distinct_location() -> None:
    starlette = [p for p in parse("nested.cdx.json").packages if p.name == "starlette"]
    assert [p.location for p in starlette] == [
        "/srv/app/.venv/lib/python3.12/site-packages/starlette",
        "/usr/lib/python3/dist-packages/starlette",
    ]
    assert {p.origin.line for p in starlette} == {18}


def test_bad_purls_unversioned_and_cpe_only_components() -> None:
    packages = by_name(parse("nested.cdx.json"))
    tool = packages["internal-tool"]
    assert (tool.ecosystem, tool.version, tool.purl) == ("generic", None, None)
    nginx = packages["nginx"]
    assert (nginx.ecosystem, nginx.display_name, nginx.version) == ("generic", "Nginx", "1.21.1")
    assert packages["ctx"].version is None and packages["ctx"].ecosystem == "PyPI"


def test_unusable_entries_are_skipped_not_dropped() -> None:
    skipped = parse("nested.cdx.json").skipped
    assert [s.reason for s in skipped] == [
        "components[3]: no usable purl and no name",
        "components[4]: not an object",
        "components[5]: file component, not a package",
    ]
    assert skipped[0].origin.line == 38


def test_redacted_golden_values_give_none() -> None:
    records = parse("redacted.cdx.json")
    (artifact,) = records.artifacts
    assert (artifact.digest, artifact.created_at, artifact.name) == (None, None, "user-image-input")
    packages = by_name(records)
    assert packages["package-1"].location == "/somefile-1.txt"
    assert packages["requests"].location == "layer:sha256:" + "5" * 64


def test_sniff() -> None:
    head = (DATA / "trivy-image.cdx.json").read_bytes()[:4096]
    assert SOURCE.sniff(Path("x.json"), head)
    assert SOURCE.sniff(Path("sbom.bom.json"), b'{"components": []}')
    assert not SOURCE.sniff(Path("bom.cdx.xml"), (DATA / "bom.cdx.xml").read_bytes())
    assert not SOURCE.sniff(Path("package-lock.json"), b'{"name": "x", "lockfileVersion": 3}')
    assert not SOURCE.sniff(Path("x.spdx.json"), b'{"spdxVersion": "SPDX-2.3"}')


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "bom.cdx.json.gz"
    path.write_bytes(gzip.compress((DATA / "trivy-image.cdx.json").read_bytes()))
    assert SOURCE.sniff(path, (DATA / "trivy-image.cdx.json").read_bytes()[:4096])
    assert len(SOURCE.parse(path, ParseContext("bom.cdx.json.gz")).packages) == 5


@pytest.mark.parametrize(
    ("content", "place", "message"),
    [
        ("[]", "bomFormat", "not a CycloneDX document"),
        ('{"bomFormat": "SPDX"}', "bomFormat", "not a CycloneDX document"),
        ('{"bomFormat": "CycloneDX", "components": {}}', "components", "not a list"),
        ('{"bomFormat": "CycloneDX",\n "components": [', "line 2 column 17", "invalid JSON"),
        ("[" * 100_000, None, "invalid JSON"),
    ],
)
def test_broken_documents_raise_input_error(
    tmp_path: Path, content: str, place: str | None, message: str
) -> None:
    path = tmp_path / "bad.cdx.json"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        SOURCE.parse(path, ParseContext("bad.cdx.json"))
    assert info.value.file == "bad.cdx.json"
    assert message in info.value.message
    if place:
        assert info.value.place == place


def test_xml_is_not_read() -> None:
    with pytest.raises(InputError):
        SOURCE.parse(DATA / "bom.cdx.xml", ParseContext("bom.cdx.xml"))


SAMPLES = {name: (DATA / name).read_bytes() for name in ("trivy-image.cdx.json", "nested.cdx.json")}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLES["trivy-image.cdx.json"]))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.cdx.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLES["trivy-image.cdx.json"])))
def test_fuzz_structure_image(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.cdx.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLES["nested.cdx.json"])))
def test_fuzz_structure_nested(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.cdx.json")


def test_pip_audit_cyclonedx_with_sorted_keys_is_read_as_pypi(tmp_path: Path) -> None:
    components = [
        {"bom-ref": f"pkg{i}==1.{i}", "name": f"pkg{i}", "type": "library", "version": f"1.{i}"}
        for i in range(60)
    ] + [{"bom-ref": "litellm==1.82.8", "name": "LiteLLM", "type": "library", "version": "1.82.8"}]
    doc = {
        "components": components,
        "metadata": {"tools": [{"name": "pip-audit", "vendor": "pypa", "version": "2.9.0"}]},
        "bomFormat": "CycloneDX",
        "specVersion": "1.4",
    }
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(doc, sort_keys=True))
    assert SOURCE.sniff(path, path.read_bytes()[:4096])
    records = SOURCE.parse(path, ParseContext(display="audit.json"))
    litellm = [p for p in records.packages if p.name == "litellm"]
    assert [(p.ecosystem, p.version) for p in litellm] == [("PyPI", "1.82.8")]

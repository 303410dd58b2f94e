"""SPDX 2.x JSON reader: syft and trivy flavours, subjects, lineage, errors, fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.model import Package, Records
from scoper.sources.base import ParseContext
from scoper.sources.sboms.spdx import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "spdx"
IMAGE_DIGEST = "sha256:9a3c1f7e2b4d6a8c0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d"


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def by_name(records: Records) -> dict[str, Package]:
    return {p.name: p for p in records.packages}


def test_syft_root_package_is_the_subject_not_a_package() -> None:
    records = parse("syft-image.spdx.json")
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest) == ("ghcr.io/acme/agent-runner", IMAGE_DIGEST)
    assert artifact.created_at == datetime(2026, 3, 24, 11, 5, 41, tzinfo=UTC)
    assert artifact.origin.line == 57
    assert sorted(by_name(records)) == ["busybox", "jinja2", "litellm", "python"]


def test_syft_packages_versions_locations_lines() -> None:
    packages = by_name(parse("syft-image.spdx.json"))
    litellm = packages["litellm"]
    assert (litellm.ecosystem, litellm.version, litellm.purl) == (
        "PyPI",
        "1.82.8",
        "pkg:pypi/litellm@1.82.8",  # PACKAGE_MANAGER spelling, CPEs ignored
    )
    assert (
        litellm.location
        == "/opt/venv/lib/python3.12/site-packages/litellm-1.82.8.dist-info/METADATA"
    )
    assert litellm.origin.line == 13
    jinja = packages["jinja2"]
    assert jinja.display_name == "Jinja2"
    assert jinja.hashes == (
        "sha256:85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67",
        "md5:0123456789abcdef0123456789abcdef",
    )
    python = packages["python"]  # syft binary cataloger: no purl
    assert (python.ecosystem, python.version, python.purl) == ("generic", "3.12.9", None)
    assert python.location == "/usr/local/lib/libpython3.12.so.1.0"
    assert packages["busybox"].location == "/bin/busybox"  # its one CONTAINS file


def test_old_trivy_describe_attributions_and_files() -> None:
    records = parse("trivy-old.spdx.json")
    (artifact,) = records.artifacts
    assert artifact.name == "python:3.11-alpine"
    assert artifact.digest == (
        "sha256:bec857330cefe7a6ce23a8e25ce84eaa6fedefca9902c31592683bd8a046e717"
    )  # RepoDigest, not ImageID
    assert artifact.created_at == datetime(2022, 12, 27, 20, 18, 59, 561959, tzinfo=UTC)
    packages = by_name(records)
    assert packages["telnyx"].location == (
        "usr/local/lib/python3.11/site-packages/telnyx-4.87.1.dist-info/METADATA"
    )
    assert packages["telnyx"].origin.line == 43
    assert packages["musl"].location == (
        "layer:sha256:b75b900e3677b7f54ed65486dbd0e44dae4253c352fa4b603ac711a62f48bae8"
    )
    assert [(s.reason, s.informational) for s in records.skipped] == [
        ("packages[0]: trivy application/operating-system node, not a package", True),
        ("packages[2]: trivy application/operating-system node, not a package", True),
    ]


def test_new_trivy_annotations_and_purl_digest() -> None:
    records = parse("trivy-new.spdx.json")
    assert records.artifacts[0].digest == "sha256:" + "6" * 64  # oci purl beats ImageID
    (ultralytics,) = records.packages
    assert (ultralytics.name, ultralytics.version) == ("ultralytics", "8.3.41")
    assert ultralytics.location == "layer:sha256:" + "8" * 64
    assert len(records.skipped) == 1


def test_lineage_merge_cpe_only_and_broken_entries() -> None:
    records = parse("lineage.spdx.json")
    packages = by_name(records)
    assert sorted(packages) == ["nginx", "requests"]
    assert packages["nginx"].version is None  # never taken from the CPE
    assert packages["nginx"].display_name == "Nginx"  # described but a plain package
    assert [s.reason for s in records.skipped] == [
        "packages[0]: merged into SPDXRef-Source-requests (DESCENDANT_OF/ANCESTOR_OF)",
        "packages[3]: no usable purl and no name",
        "packages[4]: not an object",
    ]
    assert records.artifacts[0].created_at is None  # 1970 reproducible-build placeholder


def test_sniff() -> None:
    trivy = (DATA / "trivy-old.spdx.json").read_bytes()
    trivy_head = trivy[: trivy.index(b'"spdxVersion"')]  # sorted keys put it last
    assert SOURCE.sniff(Path("x.json"), trivy_head)
    assert SOURCE.sniff(Path("x.json"), (DATA / "syft-image.spdx.json").read_bytes()[:4096])
    assert not SOURCE.sniff(Path("sbom.spdx"), (DATA / "sbom.spdx").read_bytes())
    assert not SOURCE.sniff(Path("x.spdx.json"), b'{"@context": "https://spdx.org/rdf/3.0.1/"}')
    assert not SOURCE.sniff(Path("x.spdx.yml"), b'---\nSPDXID: "SPDXRef-DOCUMENT"\n')
    assert not SOURCE.sniff(Path("bom.json"), b'{"bomFormat": "CycloneDX"}')


@pytest.mark.parametrize(
    ("content", "place", "message"),
    [
        ('{"SPDXID": "SPDXRef-DOCUMENT"}', "spdxVersion", "not an SPDX 2 JSON document"),
        ('{"spdxVersion": "SPDX-3.0"}', "spdxVersion", "not an SPDX 2 JSON document"),
        ('{"spdxVersion": "SPDX-2.3", "packages": {}}', "packages", "not a list"),
        ('{"spdxVersion": "SPDX-2.3", "packages": [}', "line 1 column 42", "invalid JSON"),
    ],
)
def test_broken_documents_raise_input_error(
    tmp_path: Path, content: str, place: str, message: str
) -> None:
    path = tmp_path / "bad.spdx.json"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        SOURCE.parse(path, ParseContext("bad.spdx.json"))
    assert (info.value.place, info.value.file) == (place, "bad.spdx.json")
    assert message in info.value.message


def test_tag_value_is_not_read() -> None:
    with pytest.raises(InputError):
        SOURCE.parse(DATA / "sbom.spdx", ParseContext("sbom.spdx"))


SAMPLES = {n: (DATA / n).read_bytes() for n in ("syft-image.spdx.json", "trivy-old.spdx.json")}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLES["trivy-old.spdx.json"]))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLES["syft-image.spdx.json"])))
def test_fuzz_structure_syft(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLES["trivy-old.spdx.json"])))
def test_fuzz_structure_trivy(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx.json")

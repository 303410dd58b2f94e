"""syft JSON reader: packages against an independent read, subject digest, RECORD files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from packageurl import PackageURL
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms.syft_json import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "syft_json"
SAMPLES = ("alpine.syft.json", "TestImageEncoder.golden.json", "python-image.syft.json")


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def _independent(name: str) -> list[tuple[str | None, str, int]]:
    """(purl, name, line) of every usable artifact, read with json and a text search."""
    text = (DATA / name).read_text()
    found = []
    for artifact in json.loads(text)["artifacts"]:
        if not (artifact["purl"] or artifact["name"]):
            continue
        line = text[: text.index(f'"id": "{artifact["id"]}"')].count("\n")  # the "{" above
        purl = artifact["purl"] if artifact["purl"].startswith("pkg:") else None
        found.append((purl, artifact["name"], line))
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_artifact_is_a_package_with_its_line(name: str) -> None:
    records = parse(name)
    got = [(p.purl, p.display_name, p.origin.line) for p in records.packages]
    assert got == _independent(name)
    for package, (purl, _, _) in zip(records.packages, _independent(name), strict=True):
        if purl:
            assert package.version == PackageURL.from_string(purl).version
    doc = json.loads((DATA / name).read_text())
    assert len(records.packages) + len(records.skipped) == len(doc["artifacts"])


def test_alpine_example_subject_is_the_repo_digest_not_the_manifest() -> None:
    (artifact,) = parse("alpine.syft.json").artifacts
    assert artifact.name == "alpine"
    assert artifact.digest == (
        "sha256:c75ac27b49326926b803b9ed43bf088bc220d22556de1bc5f72d742c91398f69"
    )
    assert all(p.ecosystem == "apk" for p in parse("alpine.syft.json").packages)


def test_golden_manifest_digest_and_redacted_purl() -> None:
    records = parse("TestImageEncoder.golden.json")
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest, artifact.origin.line) == (
        "user-image-input",
        "sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368",
        79,
    )
    first = records.packages[0]
    assert (first.ecosystem, first.name, first.purl) == ("PyPI", "package-1", None)  # "a-purl-1"
    assert first.location == "/somefile-1.txt"


def test_python_image_files_hashes_and_locations() -> None:
    records = parse("python-image.syft.json")
    (artifact,) = records.artifacts
    assert artifact.name == "ghcr.io/acme/agent-runner"
    assert artifact.digest == (
        "sha256:4e1a7c3b9d2f5e8a0c6b1d4f7a9e2c5b8d0f3a6c9e1b4d7f0a2c5e8b1d4f7a9e"
    )
    litellm, pyyaml, log4j, libc = records.packages
    assert litellm.location is not None and litellm.location.endswith("dist-info/METADATA")
    assert (pyyaml.name, pyyaml.display_name) == ("pyyaml", "PyYAML")
    assert (log4j.ecosystem, log4j.name) == ("Maven", "org.apache.logging.log4j:log4j-core")
    assert log4j.hashes == ("sha1:779f60f3844dadc3ef597976fcb1e5127b1f343d",)
    assert libc.version == "2.36-9+deb12u10"
    pth, init = records.files
    assert (pth.kind, pth.path, pth.origin.line) == (
        "pth",
        "/opt/venv/lib/python3.12/site-packages/litellm_init.pth",
        3,
    )
    assert pth.sha256 == "a2ea5ac08130e243de480a615f8a4eb2eadd25d3c0e5618e14207bcfd4f75cf3"
    assert init.kind == "record"
    (skipped,) = records.skipped
    assert skipped.origin.line == 154 and "no usable purl" in skipped.reason


@pytest.mark.parametrize("name", SAMPLES)
def test_registry_detects_syft_json(name: str) -> None:
    path = DATA / name
    head = read_head(path)
    assert next(s for s in all_sources() if s.sniff(path, head)) is SOURCE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "artifacts"),
        ('{"artifacts": {}}', "artifacts"),
        ('{"artifacts": []}', "no source"),
        ('{"artifacts": [', "invalid JSON"),
    ],
)
def test_broken_documents_raise_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.syft.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(path, ParseContext("bad.syft.json"))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PYTHON = (DATA / "python-image.syft.json").read_bytes()


@FUZZ
@given(payload=byte_mutations(PYTHON))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.syft.json")


@FUZZ
@given(payload=json_mutations(json.loads(PYTHON)))
def test_fuzz_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.syft.json")

"""SPDX tag-value reader: packages and lines against an independent read, subjects, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms import spdx
from scoper.sources.sboms.spdx_tag import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "spdx_tag"
SAMPLES = ("syft-image.spdx", "syft-alpine-java.spdx", "example6-bin.spdx", "trivy-image.spdx")
_PURL = re.compile(r"^ExternalRef: PACKAGE-MANAGER purl (\S+)$")


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def _independent(name: str) -> list[tuple[int, str, str | None]]:
    """(line, PackageName, purl) of every package, from a plain line scan."""
    found: list[tuple[int, str, str | None]] = []
    for number, line in enumerate((DATA / name).read_text().splitlines(), 1):
        if line.startswith("PackageName: "):
            found.append((number, line.removeprefix("PackageName: "), None))
        elif (matched := _PURL.match(line)) and found:
            found[-1] = (*found[-1][:2], matched.group(1))
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_package_entry_is_accounted_for_with_its_line(name: str) -> None:
    records = parse(name)
    want = _independent(name)
    subject = records.artifacts[0].origin.line
    lines = sorted(
        [p.origin.line for p in records.packages] + [s.origin.line for s in records.skipped]
    )
    assert sorted(filter(None, [*lines, subject])) == [line for line, _, _ in want]
    by_line = {line: (package, purl) for line, package, purl in want}
    for package in records.packages:
        written, purl = by_line[package.origin.line or 0]
        assert package.display_name == written or package.purl == purl
        if purl and purl.startswith("pkg:"):
            assert package.purl == purl


def test_syft_image_subject_and_redacted_values() -> None:
    records = parse("syft-image.spdx")
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.digest, artifact.origin.line) == (
        "user-image-input",
        "sha256:2731251dc34951c0e50fcc643b4c5f74922dad1a5d98f302b504cf46cd5d9368",
        13,
    )
    assert artifact.created_at is None  # "Created: redacted"
    deb, python = records.packages
    assert (deb.ecosystem, deb.name, deb.version, deb.location) == (
        "deb",
        "package-2",
        "2.0.1",
        "/somefile-2.txt",
    )
    assert (python.purl, python.location) == (None, "/somefile-1.txt")  # purl "a-purl-1"


@pytest.mark.corpus
def test_same_records_as_the_spdx_json_golden(corpus: Path) -> None:
    """syft wrote the same image as tag-value and as JSON: same packages and subject."""
    golden = corpus / "sboms" / "goldens" / "syft-TestSPDXJSONImageEncoder.json"
    as_json = spdx.SOURCE.parse(golden, ParseContext(golden.name))
    as_tag = parse("syft-image.spdx")
    assert as_tag.artifacts[0].digest == as_json.artifacts[0].digest
    key = sorted((p.name, p.version, p.purl, p.location) for p in as_tag.packages)
    assert key == sorted((p.name, p.version, p.purl, p.location) for p in as_json.packages)


def test_trivy_subject_layers_files_and_informational_nodes() -> None:
    records = parse("trivy-image.spdx")
    (artifact,) = records.artifacts
    assert artifact.name == "ghcr.io/acme/agent-runner:2026.03.24"
    assert artifact.digest == (
        "sha256:9a3c1f7e2b4d6a8c0e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d"
    )
    assert artifact.created_at is not None and artifact.created_at.year == 2026
    sqlite, litellm = records.packages
    assert sqlite.hashes == (
        "sha256:8976fc03e2280e4fb55d9bb52d2723a54a83284183684a6b27102934756a2be4",
    )
    assert sqlite.location == (
        "layer:sha256:b3e1f759814e0cc6bb3aee7ab31801c676a84b254ef4690c87bfdc7e9015106f"
    )
    assert (litellm.name, litellm.display_name, litellm.origin.line) == ("litellm", "LiteLLM", 70)
    assert (
        litellm.location
        == "opt/venv/lib/python3.12/site-packages/litellm-1.82.7.dist-info/METADATA"
    )
    assert all(s.informational for s in records.skipped) and len(records.skipped) == 2


def test_spdx_example_files_follow_their_package() -> None:
    (package,) = parse("example6-bin.spdx").packages
    assert (package.name, package.location, package.origin.line) == ("hello-go-bin", "./hello", 15)


@pytest.mark.parametrize("name", SAMPLES)
def test_registry_detects_spdx_tag(name: str) -> None:
    path = DATA / name
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is SOURCE


@pytest.mark.parametrize(
    ("text", "message", "place"),
    [
        ("SPDXVersion: SPDX-2.3\nPackageName: x\nnot a tag line\n", "Tag: value", "line 3"),
        ("SPDXVersion: SPDX-2.3\nPackageComment: <text>open\n", "unterminated", "line 2"),
        ("SPDXVersion: SPDX-3.0\n", "not an SPDX 2", "SPDXVersion"),
    ],
)
def test_broken_documents_raise_input_error(
    tmp_path: Path, text: str, message: str, place: str
) -> None:
    path = tmp_path / "bad.spdx"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        SOURCE.parse(path, ParseContext("bad.spdx"))
    assert info.value.place == place


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations((DATA / "trivy-image.spdx").read_bytes()))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx")

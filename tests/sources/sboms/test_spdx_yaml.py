"""SPDX YAML reader: the same records as the SPDX JSON reader, package lines, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms import spdx
from scoper.sources.sboms.spdx_yaml import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data"
JSON_SAMPLES = ("spdx/syft-image.spdx.json", "spdx/trivy-old.spdx.json", "spdx/lineage.spdx.json")


def _as_yaml(tmp_path: Path, relative: str) -> Path:
    """The JSON sample written as YAML the way the SPDX tools do (block style)."""
    doc = json.loads((DATA / relative).read_text())
    path = tmp_path / (Path(relative).name.removesuffix(".json") + ".yml")
    path.write_text(yaml.safe_dump(doc, sort_keys=False, default_flow_style=False))
    return path


@pytest.mark.parametrize("relative", JSON_SAMPLES)
def test_same_records_as_the_json_form(tmp_path: Path, relative: str) -> None:
    path = _as_yaml(tmp_path, relative)
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is SOURCE
    as_yaml = SOURCE.parse(path, ParseContext("x"))
    as_json = spdx.SOURCE.parse(DATA / relative, ParseContext("x"))
    strip = [(p.name, p.version, p.purl, p.hashes, p.location) for p in as_json.packages]
    assert [(p.name, p.version, p.purl, p.hashes, p.location) for p in as_yaml.packages] == strip
    assert [s.reason for s in as_yaml.skipped] == [s.reason for s in as_json.skipped]
    assert (as_yaml.artifacts[0].digest, as_yaml.artifacts[0].created_at) == (
        as_json.artifacts[0].digest,
        as_json.artifacts[0].created_at,
    )
    lines = path.read_text().splitlines()
    starts = [i for i, line in enumerate(lines, 1) if line.startswith("- ")]
    assert all(p.origin.line for p in as_yaml.packages)
    assert {p.origin.line for p in as_yaml.packages} <= set(starts)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("spdxVersion: SPDX-2.3\npackages: [\n", "invalid YAML"),
        ("spdxVersion: SPDX-3.0\n", "not an SPDX 2"),
        ("- spdxVersion: SPDX-2.3\n", "not an SPDX 2"),
    ],
)
def test_broken_documents_raise_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.spdx.yml"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(path, ParseContext("bad.spdx.yml"))


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE = yaml.safe_dump(json.loads((DATA / "spdx/syft-image.spdx.json").read_text())).encode()


@FUZZ
@given(payload=byte_mutations(SAMPLE))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.spdx.yml")


def test_sample_file_is_detected_with_its_subject() -> None:
    path = DATA / "spdx_yaml" / "syft-image.spdx.yml"
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is SOURCE
    records = SOURCE.parse(path, ParseContext(path.name))
    as_json = spdx.SOURCE.parse(DATA / "spdx" / "syft-image.spdx.json", ParseContext("x"))
    assert records.artifacts[0].digest == as_json.artifacts[0].digest
    assert len(records.packages) == len(as_json.packages)

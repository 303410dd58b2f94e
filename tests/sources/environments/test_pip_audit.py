"""pip-audit JSON: audited dependencies (current and legacy form); skipped ones reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.ingest import detect
from scoper.sources.base import ParseContext
from scoper.sources.environments.pip_audit import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pip_audit"
SAMPLE = DATA / "pip-audit.json"
LEGACY = DATA / "pip-audit-legacy.json"


def test_dependencies_and_skipped() -> None:
    records = SOURCE.parse(SAMPLE, ParseContext(display="pip-audit.json"))
    assert [(p.name, p.version, p.origin.line) for p in records.packages] == [
        ("requests", "2.19.0", 1),
        ("idna", "3.7", 1),
        ("litellm", "1.82.8", 1),
    ]
    assert [s.reason for s in records.skipped] == [
        "dependencies[3]: acme-tool: not audited by pip-audit: Dependency not found on PyPI "
        "and could not be audited: acme-tool (0.3.0)"
    ]
    assert [a.kind for a in records.artifacts] == ["environment"]


def test_legacy_list_form_with_lines() -> None:
    records = SOURCE.parse(LEGACY, ParseContext(display="audit.json"))
    assert [(p.name, p.version, p.origin.line) for p in records.packages] == [
        ("flask", "0.5", 2),
        ("jinja2", "3.1.4", 20),
    ]


def test_entries_without_name_or_version(tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    report.write_text(json.dumps({"dependencies": [{"version": "1"}, {"name": "x"}, 3]}))
    records = SOURCE.parse(report, ParseContext(display="audit.json"))
    assert records.packages == []
    assert [s.reason for s in records.skipped] == [
        "dependencies[0]: entry has no name",
        "dependencies[1]: x: no version",
        "dependencies[2]: entry has no name",
    ]


@pytest.mark.parametrize("text", ['{"fixes": []}', '"x"', "{", ""])
def test_bad_documents_raise(tmp_path: Path, text: str) -> None:
    report = tmp_path / "audit.json"
    report.write_text(text)
    with pytest.raises(InputError):
        SOURCE.parse(report, ParseContext(display="audit.json"))


def test_sniff_and_detect() -> None:
    assert detect(SAMPLE).name == "pip-audit-json"
    assert detect(LEGACY).name == "pip-audit-json"
    assert not SOURCE.sniff(Path("package-lock.json"), b'{"name": "x", "dependencies": {}}')
    assert not SOURCE.sniff(Path("x.json"), b'[{"name": "x", "version": "1"}]')


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLE.read_bytes()))
def test_fuzzed_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-audit.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLE.read_bytes())))
def test_fuzzed_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-audit.json")


@FUZZ
@given(payload=json_mutations(json.loads(LEGACY.read_bytes())))
def test_fuzzed_legacy_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-audit.json")

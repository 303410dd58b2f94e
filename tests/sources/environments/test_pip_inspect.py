"""pip inspect reports: installed distributions, environment prefix, PEP 610 origins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.environments.pip_inspect import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pip_inspect"
SAMPLE = DATA / "pip-inspect.json"
SITE = "/srv/app/.venv/lib/python3.11/site-packages"


def test_installed_distributions() -> None:
    records = SOURCE.parse(SAMPLE, ParseContext(display="pip-inspect.json", host="ci-runner-3"))
    got = [(p.name, p.version, p.origin.line, p.direct) for p in records.packages]
    assert got == [
        ("acme-tool", "0.3.0", 5, True),
        ("pip", "23.2.1", 21, True),
        ("setuptools", "65.5.0", 41, True),
        ("six", "1.16.0", 105, True),
        ("tiny-helper", "1.2.0", 120, True),
        ("certifi", "2024.8.30", 138, True),
        ("idna", "3.7", 156, True),
    ]
    acme, *_, helper, _, idna = records.packages
    assert acme.source_url == "file:///srv/app/src/acme-tool"
    assert helper.commit == "270ced92c7942a3f0cdc2852668103722b05ceb3"
    assert (helper.display_name, helper.source_url) == (
        "Tiny_Helper",
        "https://github.com/acme/tiny-helper.git",
    )
    assert idna.location == f"{SITE}/idna-3.7.dist-info"
    assert idna.origin.file == "pip-inspect.json"
    (artifact,) = records.artifacts
    assert (artifact.kind, artifact.name, artifact.host, artifact.environment) == (
        "environment",
        "pip-inspect.json",
        "ci-runner-3",
        "/srv/app/.venv",
    )


def test_environment_is_the_prefix_most_entries_live_in(tmp_path: Path) -> None:
    doc = {
        "version": "1",
        "pip_version": "24.0",
        "installed": [
            {
                "metadata": {"name": "a", "version": "1"},
                "requested": False,
                "metadata_location": "/home/u/.local/lib/python3.12/site-packages/a-1.dist-info",
            },
            {
                "metadata": {"name": "b", "version": "2"},
                "metadata_location": "C:\\env\\Lib\\site-packages\\b-2.dist-info",
            },
            {
                "metadata": {"name": "c", "version": "3"},
                "metadata_location": "C:\\env\\Lib\\site-packages\\c-3.dist-info",
            },
            {"metadata": {"name": "d"}},
            "junk",
        ],
    }
    report = tmp_path / "inspect.json"
    report.write_text(json.dumps(doc, indent=1))
    records = SOURCE.parse(report, ParseContext(display="inspect.json"))
    assert records.artifacts[0].environment == "C:\\env"
    assert [(p.name, p.direct) for p in records.packages] == [
        ("a", False),
        ("b", None),
        ("c", None),
    ]
    assert [s.reason for s in records.skipped] == [
        "installed[3]: d: no metadata.version",
        "installed[4]: entry has no metadata.name",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no 'installed' list"),
        ("[]", "expected a JSON object"),
        ('{"version": "1", "installed": {}}', "no 'installed' list"),
        ('{"installed": [', "invalid JSON"),
    ],
)
def test_bad_documents_raise(tmp_path: Path, text: str, message: str) -> None:
    report = tmp_path / "inspect.json"
    report.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(report, ParseContext(display="inspect.json"))


def test_sniff() -> None:
    assert SOURCE.sniff(SAMPLE, SAMPLE.read_bytes()[:4096])
    report = b'{"version": "1", "pip_version": "26.3", "install": []}'
    assert not SOURCE.sniff(Path("report.json"), report)
    assert not SOURCE.sniff(Path("x.json"), b'{"installed": []}')


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLE.read_bytes()))
def test_fuzzed_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-inspect.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLE.read_bytes())))
def test_fuzzed_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-inspect.json")

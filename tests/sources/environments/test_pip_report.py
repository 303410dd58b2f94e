"""pip install --report: resolved distributions with archive hashes, URLs and commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.sources.base import ParseContext
from scoper.sources.environments.pip_report import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pip_report"
SAMPLE = DATA / "pip-report.json"


def parse(name: str) -> list[tuple[object, ...]]:
    records = SOURCE.parse(DATA / name, ParseContext(display=name, host="laptop"))
    assert [(a.kind, a.name, a.host, a.environment) for a in records.artifacts] == [
        ("environment", name, "laptop", None)
    ]
    assert records.skipped == []
    return [
        (p.name, p.version, p.origin.line, p.direct, p.hashes, p.commit, p.source_url)
        for p in records.packages
    ]


def test_report_of_pip_26() -> None:
    wheel = "https://files.pythonhosted.org/packages/f9/9b/335f9764261e915ed497fcdeb11df5dfd6f7bf257d4a6a2a686d80da4d54/requests-2.32.3-py3-none-any.whl"
    got = parse("pip-report.json")
    assert [row[:4] for row in got] == [
        ("requests", "2.32.3", 5, True),
        ("charset-normalizer", "3.5.3", 37, False),
        ("idna", "3.20", 59, False),
        ("urllib3", "2.8.0", 88, False),
        ("certifi", "2026.10.19.post1", 116, False),
    ]
    assert got[0][4:] == (
        ("sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6",),
        None,
        wheel,
    )
    assert got[2][6] == "file:///opt/pypi/files/idna-3.20-py3-none-any.whl"


def test_report_of_pip_23_with_legacy_hash_field() -> None:
    got = parse("pip-23-report.json")
    assert [(row[0], row[1], row[4]) for row in got] == [
        (
            "six",
            "1.16.0",
            ("sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",),
        ),
        (
            "idna",
            "3.7",
            ("sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0",),
        ),
    ]


def test_vcs_install_keeps_commit() -> None:
    assert parse("pip-report-vcs.json") == [
        (
            "tiny-helper",
            "1.2.0",
            5,
            True,
            (),
            "270ced92c7942a3f0cdc2852668103722b05ceb3",
            "https://github.com/acme/tiny-helper.git",
        )
    ]


def test_entries_without_name_or_version_are_skipped(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "version": "1",
                "install": [
                    {"metadata": {"name": "x"}},
                    {"metadata": "?"},
                    {
                        "metadata": {"name": "ok", "version": "1.0"},
                        "requested": "yes",
                        "download_info": {"url": "https://tok:en@mirror.example/ok-1.0.tar.gz"},
                    },
                ],
            }
        )
    )
    records = SOURCE.parse(report, ParseContext(display="report.json"))
    assert [s.reason for s in records.skipped] == [
        "install[0]: x: no metadata.version",
        "install[1]: entry has no metadata.name",
    ]
    (ok,) = records.packages
    assert (ok.direct, ok.source_url) == (None, "https://***@mirror.example/ok-1.0.tar.gz")


@pytest.mark.parametrize("text", ['{"version": "1"}', "[1]", '{"install": "x"}', "{"])
def test_bad_documents_raise(tmp_path: Path, text: str) -> None:
    report = tmp_path / "report.json"
    report.write_text(text)
    with pytest.raises(InputError):
        SOURCE.parse(report, ParseContext(display="report.json"))


def test_sniff() -> None:
    assert SOURCE.sniff(SAMPLE, SAMPLE.read_bytes()[:4096])
    assert not SOURCE.sniff(Path("x.json"), b'{"pip_version": "1", "installed": []}')


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=byte_mutations(SAMPLE.read_bytes()))
def test_fuzzed_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "report.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLE.read_bytes())))
def test_fuzzed_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "report.json")

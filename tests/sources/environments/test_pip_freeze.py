"""pip freeze output: pins, direct URLs, editable installs; careful sniffing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sbom_fuzz import assert_only_input_errors, byte_mutations

from scoper.errors import InputError
from scoper.ingest import detect
from scoper.sources.base import ParseContext
from scoper.sources.environments.pip_freeze import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pip_freeze"
SAMPLE = DATA / "pip-freeze.txt"
PLUGIN = "9f2c4a1be0d7c3e5a8b6f1d2e4c7a9b0c3d5e7f1"
HELPER = "270ced92c7942a3f0cdc2852668103722b05ceb3"


def test_freeze_lines() -> None:
    records = SOURCE.parse(SAMPLE, ParseContext(display="pip-freeze.txt", host="dev-1"))
    got = [(p.name, p.version, p.origin.line, p.commit, p.source_url) for p in records.packages]
    assert got == [
        ("acme-tool", "0.3.0", 2, None, "/srv/app/src/acme-tool"),
        ("acme-plugin", None, 3, PLUGIN, f"git+https://github.com/acme/acme-plugin.git@{PLUGIN}"),
        ("aiohttp", "3.11.18", 4, None, None),
        ("certifi", "2024.8.30", 5, None, None),
        ("idna", "3.7", 6, None, None),
        ("litellm", "1.82.8", 7, None, None),
        ("six", "1.16.0", 8, None, None),
        ("tiny-helper", None, 9, HELPER, f"git+https://github.com/acme/tiny-helper.git@{HELPER}"),
        ("wheel", None, 10, None, "file:///opt/wheels/wheel-0.45.1-py3-none-any.whl"),
    ]
    assert records.packages[5].purl == "pkg:pypi/litellm@1.82.8"
    assert records.skipped == []
    (artifact,) = records.artifacts
    assert (artifact.kind, artifact.name, artifact.host) == (
        "environment",
        "pip-freeze.txt",
        "dev-1",
    )


def test_odd_lines_are_skipped(tmp_path: Path) -> None:
    freeze = tmp_path / "freeze.txt"
    freeze.write_text(
        "## The following requirements were added by pip freeze:\n"
        "-e /home/dev/no-name\n"
        "Django==4.2.11\n"
        "requests>=2.0\n"
        "\n"
        "# Editable Git install with no remote (acme==1.0)\n"
        "\n"
        "-e /home/dev/acme\n"
        "private @ https://user:hunter2@pypi.example/private-1.0.tar.gz\n"
    )
    records = SOURCE.parse(freeze, ParseContext(display="freeze.txt"))
    assert [(p.name, p.version, p.origin.line) for p in records.packages] == [
        ("django", "4.2.11", 3),
        ("acme", "1.0", 8),
        ("private", None, 9),
    ]
    assert records.packages[2].source_url == "https://***@pypi.example/private-1.0.tar.gz"
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (2, "editable install without a name: /home/dev/no-name"),
        (4, "not a pip freeze line"),
    ]


def test_not_freeze_output_raises(tmp_path: Path) -> None:
    freeze = tmp_path / "freeze.txt"
    freeze.write_text("hello world\n<html>\n")
    with pytest.raises(InputError, match="not pip freeze output"):
        SOURCE.parse(freeze, ParseContext(display="freeze.txt"))


@pytest.mark.parametrize(
    ("name", "text", "claimed"),
    [
        ("freeze.txt", "anything", True),
        ("pip-freeze.txt", "", True),
        ("prod.freeze", "", True),
        ("pip_freeze_2026-03-24.txt", "", True),
        ("requirements-freeze.txt", "six==1.16.0\n-e git+https://x/y.git@abc1234#egg=y\n", True),
        ("requirements-freeze.txt", "six==1.16.0\nrequests>=2\n", False),
        ("requirements-freeze.txt", "# only comments\n", False),
        ("requirements.txt", "six==1.16.0\n", False),
        ("frozen.txt", "six==1.16.0\n", False),
    ],
)
def test_sniff(name: str, text: str, claimed: bool) -> None:
    assert SOURCE.sniff(Path(name), text.encode()) is claimed


def test_registry_prefers_freeze_over_requirements(tmp_path: Path) -> None:
    freeze = tmp_path / "pip-freeze.txt"
    freeze.write_bytes(SAMPLE.read_bytes())
    assert detect(freeze).name == "pip-freeze"
    plain = tmp_path / "requirements.txt"
    plain.write_bytes(SAMPLE.read_bytes())
    assert detect(plain).name == "requirements.txt"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=byte_mutations(SAMPLE.read_bytes()))
def test_fuzzed_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "pip-freeze.txt")

"""The report registry: one ordered list for scope and check, usage errors name the valid ones."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.errors import ExitCode, UsageError
from scoper.report import registry
from scoper.report.base import Subject


def test_registry_is_ordered_and_split_by_subject() -> None:
    assert registry.names() == (
        "table",
        "json",
        "csv",
        "markdown",
        "rotation",
        "sarif",
        "html",
        "junit",
    )
    assert registry.names(Subject.SCOPE) == (
        "table",
        "json",
        "csv",
        "markdown",
        "rotation",
        "html",
    )
    assert registry.names(Subject.CHECK) == ("table", "json", "markdown", "sarif", "junit")
    assert len({r.suffix for r in registry.renderers()}) == len(registry.RENDERERS)


def test_require_names_the_valid_formats() -> None:
    assert registry.require("JSON", Subject.CHECK).name == "json"
    with pytest.raises(UsageError, match="choose from table, json, markdown, sarif, junit"):
        registry.require("csv", Subject.CHECK)
    with pytest.raises(UsageError, match="unknown for scope; choose from table, json, csv"):
        registry.require("bogus", Subject.SCOPE)


def test_defaults() -> None:
    assert registry.choose(None, Subject.SCOPE, terminal=False).name == "json"
    assert registry.choose(None, Subject.SCOPE, terminal=True).name == "table"
    assert registry.choose(None, Subject.CHECK, terminal=False).name == "table"


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["scope", "-a", "litellm-2025", "-f", "sarif"], "table, json, csv, markdown"),
        (
            ["check", "fixtures/check/bad-requirements.txt", "-f", "csv"],
            "table, json, markdown, sarif",
        ),
        (
            ["check", "fixtures/check/bad-requirements.txt", "--fail-on", "bogus"],
            "'confirmed', 'likely', 'possible'",
        ),
        (
            ["scope", "-a", "litellm-2025", "-f", "csv", "--entity", "bogus"],
            "'sessions', 'hosts', 'credentials', 'environments', 'cleared'",
        ),
    ],
)
def test_unsupported_format_or_entity_is_a_usage_error(args: list[str], valid: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert valid in " ".join(result.stderr.replace("│", " ").split())
    assert "Traceback" not in result.output


def test_cli_never_branches_on_a_format_name() -> None:
    from pathlib import Path

    import scoper.cli

    text = Path(scoper.cli.__file__).read_text()
    for name in registry.names():
        assert f'fmt == "{name}"' not in text
        assert f'"{name}"' not in text


def test_fail_on_thresholds_are_the_confidence_names() -> None:
    from scoper.report.base import Threshold
    from scoper.scope.confidence import NAMES

    assert tuple(t.value for t in Threshold) == NAMES

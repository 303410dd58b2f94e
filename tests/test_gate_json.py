"""``scoper check --format json`` matches docs/check-format.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from scoper.cli import app

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "check-format.schema.json").read_text())


@pytest.mark.parametrize(
    ("name", "code"), [("bad-requirements.txt", 1), ("good-requirements.txt", 0)]
)
def test_check_json_matches_the_documented_schema(name: str, code: int) -> None:
    run = CliRunner().invoke(app, ["check", str(ROOT / "fixtures" / "check" / name), "-f", "json"])
    assert run.exit_code == code, run.stderr
    doc = json.loads(run.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert doc["passed"] is (code == 0)


def test_the_schema_rejects_a_finding_without_fails() -> None:
    bad = {"file": "f", "line": 1, "package": "p", "version": "1", "advisory": "a"}
    doc = {
        "advisories": [],
        "fail_on": "likely",
        "passed": True,
        "findings": [bad],
        "warnings": [],
        "withdrawn": [],
        "coverage": None,
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)

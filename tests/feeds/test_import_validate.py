"""`scoper advisories validate`: the OSV schema, the extension schema and the loader, each
problem a JSON path and a sentence; exit 0 valid, 3 invalid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.feeds.validate import validate

ROOT = Path(__file__).resolve().parents[2]
CATALOG = sorted((ROOT / "advisories").glob("*.json"))
SAMPLES = ROOT / "tests" / "data" / "osv_import"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stderr


@pytest.mark.parametrize("path", CATALOG, ids=[p.name for p in CATALOG])
def test_every_catalog_file_is_valid(path: Path) -> None:
    found = validate([path])
    assert found.records == 1 and found.problems == []
    (note,) = found.notes  # the slug id: allowed for a local catalog, and said
    assert "has no OSV database prefix" in note


def test_the_real_samples_are_valid_and_the_command_exits_0() -> None:
    code, err = run("advisories", "validate", str(SAMPLES))  # both trees side by side
    assert code == 0, err
    assert "5 records checked: 0 problems (valid)" in err


def test_each_problem_has_a_place_and_a_sentence(tmp_path: Path) -> None:
    record = json.loads((ROOT / "advisories" / "litellm-2025.json").read_text(encoding="utf-8"))
    record["id"] = "MAL-2026-1"
    del record["modified"]
    record["published"] = "2026-03-24 10:00"
    record["affected"][0]["ranges"][0]["type"] = "SEMVER2"
    record["database_specific"]["scoper"]["harvests"].append("cookies")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(record), encoding="utf-8")
    code, err = run("advisories", "validate", str(bad))
    assert code == 3
    text = " ".join(err.split())
    assert f"{bad}: (the record): a required field is missing: 'modified'" in text
    assert f"{bad}: published: '2026-03-24 10:00' is not an RFC 3339 time" in text
    assert f"{bad}: affected[0].ranges[0].type: 'SEMVER2' is not one of the allowed" in text
    assert f"{bad}: database_specific.scoper.harvests[" in text and "'cookies'" in text


def test_a_broken_file_is_named_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "PYSEC-2024-1.yaml"
    bad.write_text("id: PYSEC-2024-1\naffected: [\n", encoding="utf-8")
    found = validate([bad])
    (problem,) = found.problems
    assert problem.startswith(f"{bad}: line 3 column 1: invalid YAML")

"""SARIF from the gate validates against the official 2.1.0 schema; fingerprints are stable."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from scoper import api
from scoper.report.sarif import render_sarif

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE / "schemas" / "sarif-schema-2.1.0.json").read_text())
FIXTURE = HERE.parent / "fixtures" / "check" / "bad-requirements.txt"


def _sarif(path: Path) -> dict:  # type: ignore[type-arg]
    _, result = api.check([path])
    return json.loads(render_sarif(result, "likely"))  # type: ignore[no-any-return]


def test_sarif_validates_against_the_official_schema() -> None:
    doc = _sarif(FIXTURE)
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    (res,) = doc["runs"][0]["results"]
    assert res["ruleId"] == "litellm-2025" and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_fingerprints_survive_a_line_move(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text(FIXTURE.read_text())
    first = _sarif(req)["runs"][0]["results"][0]
    req.write_text("# moved\n\n" + FIXTURE.read_text())
    moved = _sarif(req)["runs"][0]["results"][0]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert moved["partialFingerprints"] == first["partialFingerprints"]
    assert len(first["partialFingerprints"]["scoperFinding/v1"]) == 32

"""The advisory registry: ordered sources, one find/require, empty sources are errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper import api
from scoper.cli import app
from scoper.errors import AdvisoryError, AdvisoryUnavailableError
from scoper.feeds import bundled
from scoper.feeds.registry import AdvisoryRegistry, BundledCatalog, OsvPath, sources_for


def _record(path: Path, ident: str, alias: str) -> Path:
    record = {"id": ident, "modified": "2026-01-01T00:00:00Z", "aliases": [alias]}
    path.write_text(json.dumps(record))
    return path


def test_sources_are_bundled_then_each_path(tmp_path: Path) -> None:
    sources = sources_for([tmp_path / "a.json", tmp_path / "b"])
    assert [s.name for s in sources] == [
        "bundled",
        f"osv:{tmp_path / 'a.json'}",
        f"osv:{tmp_path / 'b'}",
    ]
    assert AdvisoryRegistry().all() == bundled.load_all()


def test_find_and_require(tmp_path: Path) -> None:
    extra = _record(tmp_path / "x.json", "TEST-REG-1", "CVE-2099-1")
    registry = AdvisoryRegistry([BundledCatalog(), OsvPath(extra)])
    assert registry.require("cve-2099-1").id == "TEST-REG-1"
    assert registry.find("PYSEC-2026-2") is not None
    assert registry.find("nope") is None
    with pytest.raises(AdvisoryUnavailableError, match=r"known: .*TEST-REG-1.*litellm-2025"):
        registry.require("nope")
    assert api.find_advisory("CVE-2099-1", [extra]).id == "TEST-REG-1"


@pytest.mark.parametrize("kind", ["folder", "origin-only file"])
def test_a_path_without_advisories_is_an_error(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path = tmp_path / "empty"
        path.mkdir()
    else:
        path = tmp_path / "MAL-0000-x.json"
        path.write_text(json.dumps({"id": "", "modified": "2026-01-01T00:00:00Z"}))
    with pytest.raises(AdvisoryError, match="no OSV advisories found"):
        api.advisories([path])
    result = CliRunner().invoke(app, ["advisories", "list", "--advisories", str(path)])
    assert result.exit_code == 3
    assert "no OSV advisories found" in result.stderr

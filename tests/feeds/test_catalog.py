"""The curated catalog (advisories/ at the repository root, installed as scoper.advisories).

Every file is valid OSV (the official schema, vendored in scoper/feeds/schemas/) and valid
against scoper's extension schema (advisory-extension.schema.json beside it); the catalog ships
from one directory; hashes and commit SHAs are copied from the reference notes.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from scoper.feeds import bundled, extension
from scoper.feeds.model import TRIGGERS
from scoper.scope.versions import is_affected

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "advisories"
OSV_SCHEMA = ROOT / "scoper" / "feeds" / "schemas" / "osv-schema.json"
EXTENSION_SCHEMA = ROOT / "scoper" / "feeds" / "schemas" / "advisory-extension.schema.json"
REFERENCE = ROOT.parent / "shared" / "reference" / "incidents.md"
HEX = re.compile(r"\b[0-9a-fA-F]{40}(?:[0-9a-fA-F]{24})?\b")  # commit SHAs and sha256
NAMES = tuple(sorted(p.name for p in CATALOG.glob("*.json")))


@cache
def validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def record(name: str) -> dict[str, Any]:
    return json.loads((CATALOG / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def errors(path: Path, instance: object) -> list[str]:
    found = validator(path).iter_errors(instance)
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found)


# --- one source of truth ----------------------------------------------------------------


def test_the_package_reads_the_top_level_catalog() -> None:
    assert len(NAMES) >= 14
    assert bundled.names() == NAMES
    shipped = bundled._directory()
    for name in NAMES:
        assert (shipped / name).read_bytes() == (CATALOG / name).read_bytes()
    assert not (ROOT / "scoper" / "advisories").exists(), "no copy inside the package tree"
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"scoper.advisories": "advisories"}
    assert "scoper.advisories" in setuptools["packages"]
    assert setuptools["package-data"]["scoper.advisories"] == ["*.json"]


def test_every_package_of_the_source_tree_is_listed() -> None:
    """The package list is explicit (for the mapping), so a new subpackage must be added."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    tree = {
        ".".join(p.relative_to(ROOT).parts)
        for p in (ROOT / "scoper").rglob("*")
        if p.is_dir() and p.name != "__pycache__" and any(p.iterdir())
    }
    assert tree | {"scoper", "scoper.advisories"} == listed


# --- the official OSV schema ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_catalog_files_are_valid_osv(name: str) -> None:
    data = record(name)
    # Catalog ids are scoper-local slugs (litellm-2025). OSV's id pattern wants a known
    # database prefix, or 'x_' for a local database: that is the only difference allowed.
    assert all(e.startswith("id: ") for e in errors(OSV_SCHEMA, data))
    assert errors(OSV_SCHEMA, {**data, "id": "x_" + data["id"]}) == []
    assert data["id"] == name.removesuffix(".json")
    assert data["schema_version"] in ("1.7.4", "1.7.5")


def test_the_osv_schema_catches_problems() -> None:
    bad = {
        "id": "x_bad",
        "modified": "2026-03-24 10:00",
        "affected": [{"ranges": [{"type": "GIT", "events": [{"fixed": "abc"}]}]}],
        "references": [{"type": "BLOG", "url": "https://example.org"}],
    }
    found = errors(OSV_SCHEMA, bad)
    assert any(e.startswith("modified:") for e in found)
    assert any(e.startswith("affected/0/ranges/0:") for e in found)  # no repo, no introduced
    assert any(e.startswith("references/0/type:") for e in found)


# --- scoper's extension schema ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_catalog_files_follow_the_extension_schema(name: str) -> None:
    data = record(name)
    assert errors(EXTENSION_SCHEMA, data) == []
    assert "scoper" in data["database_specific"]
    bundled.load_one(name)  # and the loader's own rules (ordering, listed versions)


def test_the_extension_schema_matches_the_loader() -> None:
    defs = json.loads(EXTENSION_SCHEMA.read_text())["$defs"]
    top, affected, facts = defs["advisory"], defs["affected"], defs["facts"]
    assert tuple(top["properties"]["harvests"]["items"]["enum"]) == extension.HARVEST_CLASSES
    assert tuple(defs["source"]["properties"]["label"]["enum"]) == extension.SOURCE_LABELS
    assert tuple(defs["trigger"]["enum"]) == TRIGGERS
    assert tuple(top["properties"]["iocs"]["properties"]) == extension.IOC_KINDS
    assert tuple(top["properties"]) == extension._TOP_KEYS
    assert tuple(affected["properties"]) == extension._AFFECTED_KEYS
    assert tuple(facts["properties"]) == extension._FACT_KEYS


@pytest.mark.parametrize(
    ("place", "patch", "want"),
    [
        ("top", {"harvests": ["cookies"]}, "harvests/0"),
        ("top", {"windowz": []}, "database_specific/scoper"),
        ("top", {"sources": [{"label": "PRIMARY"}]}, "sources/0"),
        ("top", {"file_hashes": [{"sha256": "sha256:abc"}]}, "file_hashes/0/sha256"),
        ("top", {"windows": [{"start": "2026-03-24", "end": "2026-03-24T11:00:00Z"}]}, "start"),
        ("affected", {"default_trigger": "run"}, "default_trigger"),
        ("affected", {"versions": {"1.0": {"live_form": "2026-03-24T10:00:00Z"}}}, "versions/1.0"),
    ],
)
def test_the_extension_schema_catches_typos(place: str, patch: dict[str, Any], want: str) -> None:
    data = record("litellm-2025.json")
    owner = data if place == "top" else data["affected"][0]
    owner["database_specific"]["scoper"].update(patch)
    found = errors(EXTENSION_SCHEMA, data)
    assert found and all(want in e for e in found), found


# --- what the catalog says ----------------------------------------------------------------


UNCERTAIN = re.compile(r"uncertain|unverified|day-level|approximate|~", re.IGNORECASE)


@pytest.mark.parametrize("name", NAMES)
def test_uncertain_windows_carry_a_conservative_end_or_say_why_not(name: str) -> None:
    for window in record(name)["database_specific"]["scoper"]["windows"]:
        note = window["note"]
        if UNCERTAIN.search(note) and "conservative_end" not in window:
            assert "no conservative end" in note.lower(), note


def test_github_actions_refs_and_commits() -> None:
    def affected(ident: str, package: str) -> Any:
        adv = bundled.require(ident)
        return next(a for a in adv.affected if a.name == package)

    tj = affected("tj-actions-2025", "tj-actions/changed-files")
    assert is_affected(tj, "v45") and is_affected(tj, "v45.0.7") and is_affected(tj, "v1")
    assert is_affected(tj, "0e58ed8671d6b60d0890c21b07f8835ace038e67")
    assert not is_affected(tj, "v46.0.1")
    trivy_action = affected("trivy-action-2026", "aquasecurity/trivy-action")
    assert is_affected(trivy_action, "0.34.2") and is_affected(trivy_action, "0.0.1")
    assert not is_affected(trivy_action, "0.35.0")
    setup = affected("setup-trivy-2026", "aquasecurity/setup-trivy")
    assert all(is_affected(setup, f"v0.2.{i}") for i in range(7))
    review = affected("reviewdog-2025", "reviewdog/action-setup")
    assert is_affected(review, "v1")
    assert is_affected(review, "f0d342d24037bb11d26b9bd8496e0808ba32e9ec")
    assert not is_affected(review, "3f401fe1d58fe77e10d665ab713057375e39b887")  # the fix


def test_trivy_components_are_separate_records_of_one_incident() -> None:
    ids = ("trivy-2026", "trivy-action-2026", "setup-trivy-2026", "trivy-dockerhub-2026")
    assert bundled.require("GHSA-69fq-xp46-6x23").id == "trivy-2026"
    for ident in ids[1:]:
        assert {"GHSA-69fq-xp46-6x23", "CVE-2026-33634"} <= set(record(f"{ident}.json")["related"])
    windows = {i: bundled.require(i).windows[0] for i in ids}
    assert windows["trivy-action-2026"].end > windows["setup-trivy-2026"].end
    assert windows["trivy-dockerhub-2026"].start > windows["trivy-2026"].end


@pytest.mark.skipif(not REFERENCE.is_file(), reason="reference/incidents.md not available")
def test_hashes_and_commits_are_copied_from_the_reference() -> None:
    """No invented digests: every 64- or 40-hex string in the catalog is in the notes."""
    reference = REFERENCE.read_text(encoding="utf-8").lower()
    digests = {
        found.lower() for name in NAMES for found in HEX.findall((CATALOG / name).read_text())
    }
    assert digests
    assert sorted(d for d in digests if d not in reference) == []

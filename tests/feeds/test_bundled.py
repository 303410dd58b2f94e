"""Bundled advisories: they load, follow OSV, cite sources, and resolve by any alias."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import requests
from packaging.version import Version

from scoper.errors import AdvisoryUnavailableError, ExitCode, ScoperError
from scoper.feeds import bundled
from scoper.feeds.extension import HARVEST_CLASSES, SOURCE_LABELS, advisory_extension
from scoper.feeds.fields import Node, parse_time
from scoper.feeds.httpcache import JsonFetcher
from scoper.feeds.model import Advisory

EXPECTED = (
    "chalk-debug-2025.json",
    "ctx-2022.json",
    "litellm-2025.json",
    "num2words-2025.json",
    "nx-2025.json",
    "reviewdog-2025.json",
    "setup-trivy-2026.json",
    "shai-hulud-2025.json",
    "telnyx-2026.json",
    "tj-actions-2025.json",
    "torchtriton-2022.json",
    "trivy-2026.json",
    "trivy-action-2026.json",
    "trivy-dockerhub-2026.json",
    "ultralytics-2024.json",
    "xz-utils-2024.json",
)
# OSV allows an affected entry without a package (upstream C tarballs): nothing to match
PACKAGELESS = {"xz-utils-2024"}
REFERENCE_TYPES = {
    "ADVISORY", "ARTICLE", "DETECTION", "DISCUSSION", "REPORT", "FIX",
    "INTRODUCED", "GIT", "PACKAGE", "EVIDENCE", "WEB",
}  # fmt: skip
EVENT_KINDS = {"introduced", "fixed", "last_affected", "limit"}


def raw(name: str) -> dict[str, Any]:
    text = (bundled._directory() / name).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def by_id() -> dict[str, Advisory]:
    return {a.id: a for a in bundled.load_all()}


def test_every_bundled_file_loads() -> None:
    assert bundled.names() == EXPECTED
    loaded = bundled.load_all()
    assert [a.id for a in loaded] == [name.removesuffix(".json") for name in EXPECTED]
    assert all(a.origin == f"bundled:{a.id}" for a in loaded)
    assert all(a.windows and a.summary and a.details for a in loaded)
    assert {a.id for a in loaded if not a.affected} == PACKAGELESS


# --- OSV schema, checked by hand (validation/schema.json of ossf/osv-schema) -----------


def is_rfc3339_utc(value: Any) -> bool:
    return isinstance(value, str) and value.endswith("Z") and parse_time(value) is not None


def osv_problems(record: dict[str, Any]) -> list[str]:
    """Violations of the OSV schema's required fields and types."""
    problems = [f"missing {key}" for key in ("id", "modified") if key not in record]
    problems += [f"{k} not RFC 3339 UTC" for k in ("modified", "published", "withdrawn")
                 if k in record and not is_rfc3339_utc(record[k])]  # fmt: skip
    if not isinstance(record.get("id"), str) or not record["id"]:
        problems.append("id not a non-empty string")
    for key in ("aliases", "related"):
        if not all(isinstance(x, str) for x in record.get(key, [])):
            problems.append(f"{key} not a list of strings")
    for i, affected in enumerate(record.get("affected", [])):
        problems += [f"affected[{i}]: {p}" for p in affected_problems(affected)]
    for i, ref in enumerate(record.get("references", [])):
        if ref.get("type") not in REFERENCE_TYPES or not str(ref.get("url", "")).startswith("http"):
            problems.append(f"references[{i}] bad type or url")
    if not isinstance(record.get("database_specific", {}), dict):
        problems.append("database_specific not an object")
    return problems


def affected_problems(affected: dict[str, Any]) -> list[str]:
    package = affected.get("package")
    problems = [f"package.{k} missing" for k in ("ecosystem", "name")
                if package is not None and not isinstance(package.get(k), str)]  # fmt: skip
    if not all(isinstance(v, str) for v in affected.get("versions", [])):
        problems.append("versions not strings")
    for r in affected.get("ranges", []):
        events = r.get("events", [])
        kinds = [next(iter(e)) for e in events if isinstance(e, dict) and len(e) == 1]
        if r.get("type") not in {"SEMVER", "ECOSYSTEM", "GIT"} or len(kinds) != len(events):
            problems.append("range type or events malformed")
        if "introduced" not in kinds or not set(kinds) <= EVENT_KINDS:
            problems.append("range without introduced")
        if {"fixed", "last_affected"} <= set(kinds):
            problems.append("range with fixed and last_affected")
    if not isinstance(affected.get("database_specific", {}), dict):
        problems.append("database_specific not an object")
    return problems


@pytest.mark.parametrize("name", EXPECTED)
def test_bundled_files_satisfy_the_osv_schema(name: str) -> None:
    record = raw(name)
    assert osv_problems(record) == []
    assert record["id"] == name.removesuffix(".json")
    assert isinstance(record["schema_version"], str)


def test_schema_check_catches_problems() -> None:
    bad = {"id": "", "modified": "2026-03-24 10:00", "affected": [{"package": {"name": "x"}}, {}]}
    assert osv_problems(bad) == [
        "modified not RFC 3339 UTC",
        "id not a non-empty string",
        "affected[0]: package.ecosystem missing",
    ]


# --- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPECTED)
def test_bundled_files_cite_their_sources(name: str) -> None:
    record = raw(name)
    sources = advisory_extension(Node(name, "", record)).sources
    assert sources, "every bundled advisory says where its facts come from"
    assert {s.label for s in sources} <= set(SOURCE_LABELS)
    assert any(s.label == "PRIMARY" for s in sources)
    references = {ref["url"] for ref in record["references"]}
    cited = {s.url for s in sources if s.url}
    assert cited <= references, f"sources missing from references: {cited - references}"
    assert all(s.fact for s in sources)


@pytest.mark.parametrize("name", EXPECTED)
def test_windows_explain_themselves_and_times_are_utc(name: str) -> None:
    record = raw(name)
    for window in record["database_specific"]["scoper"]["windows"]:
        assert window["note"]
        assert all(is_rfc3339_utc(window[k]) for k in ("start", "end"))
    text = json.dumps(record)
    assert "+00:00" not in text


# --- lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("litellm-2025", "litellm-2025"),
        ("LITELLM-2025", "litellm-2025"),
        ("PYSEC-2026-2", "litellm-2025"),
        ("mal-2026-2144", "litellm-2025"),
        ("GHSA-5mg7-485q-xm76", "litellm-2025"),
        (" ghsa-92x9-889m-jgmw ", "litellm-2025"),
        ("MAL-2026-2254", "telnyx-2026"),
        ("GHSA-CXM3-WV7P-598C", "nx-2025"),
        ("MAL-2025-46969", "chalk-debug-2025"),
        ("ultralytics-2024", "ultralytics-2024"),
        ("CVE-2025-30066", "tj-actions-2025"),
        ("ghsa-qmg3-hpqr-gqvc", "reviewdog-2025"),
        ("CVE-2026-33634", "trivy-2026"),
        ("PYSEC-2022-199", "ctx-2022"),
        ("MAL-2025-6794", "num2words-2025"),
        ("MAL-2025-47141", "shai-hulud-2025"),
        ("CVE-2024-3094", "xz-utils-2024"),
        ("torchtriton-2022", "torchtriton-2022"),
    ],
)
def test_lookup_by_id_or_alias(name: str, expected: str) -> None:
    found = bundled.find(name)
    assert found is not None and found.id == expected


def test_unknown_name() -> None:
    assert bundled.find("PYSEC-1999-1") is None
    with pytest.raises(AdvisoryUnavailableError) as caught:
        bundled.require("PYSEC-1999-1")
    assert caught.value.exit_code == ExitCode.ADVISORY_DATA
    assert "litellm-2025" in str(caught.value)


def test_lookup_in_a_given_pool_prefers_ids_over_aliases() -> None:
    litellm = by_id()["litellm-2025"]
    other = Advisory(id="PYSEC-2026-2", origin="x.json", aliases=("litellm-2025",))
    assert bundled.find("pysec-2026-2", [litellm, other]) is other
    assert bundled.find("litellm-2025", [other, litellm]) is litellm


def test_names_are_unique_across_bundled_advisories() -> None:
    names = [n.casefold() for a in bundled.load_all() for n in a.names()]
    assert len(names) == len(set(names))


# --- facts of the litellm advisory --------------------------------------------------------


def test_litellm_facts() -> None:
    adv = by_id()["litellm-2025"]
    assert adv.aliases == (
        "PYSEC-2026-2",
        "MAL-2026-2144",
        "GHSA-5mg7-485q-xm76",
        "GHSA-92x9-889m-jgmw",
    )
    (aff,) = adv.affected
    assert (aff.ecosystem, aff.name, aff.versions) == ("PyPI", "litellm", ("1.82.7", "1.82.8"))
    assert aff.ranges[0].events == (("introduced", "1.82.7"), ("last_affected", "1.82.8"))
    f7, f8 = aff.facts
    assert (f7.trigger, f7.trigger_module, f7.live_from) == (
        "import",
        "litellm.proxy.proxy_server",
        utc(2026, 3, 24, 10, 39),
    )
    assert (f8.trigger, f8.live_from) == ("startup", utc(2026, 3, 24, 10, 52, 19))
    for fact in (f7, f8):
        assert fact.live_until == utc(2026, 3, 24, 13, 11)
        assert fact.conservative_until == utc(2026, 3, 24, 16)
        assert all("SECONDARY" in (a.note or "") for a in fact.artifacts)
        assert len(fact.artifacts) == 2
    (window,) = adv.windows
    assert (window.start, window.end, window.conservative_end) == (
        utc(2026, 3, 24, 10, 39),
        utc(2026, 3, 24, 13, 11),
        utc(2026, 3, 24, 16),
    )
    assert set(adv.harvests) == {
        "env", "ssh", "git-credentials", "docker-config", "dotenv", "k8s-token",
        "database", "shell-history", "wallet", "cloud-metadata", "cloud-files",
    }  # fmt: skip
    pth = {h.filename: h.sha256 for h in adv.file_hashes}["litellm_init.pth"]
    assert pth == "71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238"
    assert "models.litellm.cloud" in adv.iocs["domains"]


def test_litellm_release_history() -> None:
    (aff,) = by_id()["litellm-2025"].affected
    releases = {r.version: r for r in aff.releases}
    versions = [Version(v) for v in releases]
    assert min(versions) == Version("1.80.0")
    assert max(versions) < Version("1.84")
    assert all(not v.is_prerelease for v in versions)
    assert releases["1.82.6"].uploaded_at == datetime(2026, 3, 22, 6, 35, 56, 795579, tzinfo=UTC)
    assert releases["1.83.0"].uploaded_at == datetime(2026, 3, 31, 5, 8, 21, 987889, tzinfo=UTC)
    for bad, live_from in (
        ("1.82.7", utc(2026, 3, 24, 10, 39)),
        ("1.82.8", utc(2026, 3, 24, 10, 52, 19)),
    ):
        assert releases[bad].uploaded_at == live_from
        assert releases[bad].removed_at == utc(2026, 3, 24, 16)
    assert all(r.removed_at is None for v, r in releases.items() if v not in ("1.82.7", "1.82.8"))
    times = [r.uploaded_at for r in aff.releases]
    assert times == sorted(times)  # type: ignore[type-var]


@pytest.mark.parametrize("name", EXPECTED)
def test_bad_versions_have_facts_and_valid_names(name: str) -> None:
    adv = bundled.load_one(name)
    for aff in adv.affected:
        # a listed version (or ref) has facts; an entry without versions names its range
        assert aff.versions or aff.ranges
        assert {f.version for f in aff.facts} == set(aff.versions)
        assert all(f.live_from is not None for f in aff.facts)
        assert aff.default_trigger in {"install", "startup", "import", "call"}
    assert set(adv.harvests) <= set(HARVEST_CLASSES)


def test_other_incident_facts() -> None:
    ids = by_id()
    telnyx = ids["telnyx-2026"].affected[0]
    assert telnyx.versions == ("4.87.1", "4.87.2")
    assert {(f.trigger, f.trigger_module) for f in telnyx.facts} == {("import", "telnyx")}
    assert ids["telnyx-2026"].windows[0].end == utc(2026, 3, 27, 7, 34)
    ultra = {f.version: f for f in ids["ultralytics-2024"].affected[0].facts}
    assert ultra["8.3.41"].live_from == utc(2024, 12, 4, 20, 51)
    assert ultra["8.3.41"].trigger == "call"
    assert ultra["8.3.46"].trigger_module == "ultralytics"
    nx = {a.name: a for a in ids["nx-2025"].affected}
    assert set(nx["nx"].versions) == {
        "20.9.0", "20.10.0", "20.11.0", "20.12.0", "21.5.0", "21.6.0", "21.7.0", "21.8.0",
    }  # fmt: skip
    assert nx["@nx/key"].facts[0].live_until == utc(2025, 8, 27, 10, 20)
    assert all(a.ecosystem == "npm" and a.default_trigger == "install" for a in nx.values())
    chalk = {a.name: a.versions for a in ids["chalk-debug-2025"].affected}
    assert len(chalk) == 18 and chalk["debug"] == ("4.4.2",) and chalk["chalk"] == ("5.6.1",)
    # npm publish times could not be fetched reliably: no release history (see details)
    assert all(not a.releases for a in ids["nx-2025"].affected + ids["chalk-debug-2025"].affected)


# --- the regeneration script ----------------------------------------------------------------


def load_script() -> Any:
    path = Path(__file__).resolve().parents[2] / "scripts" / "refresh_release_history.py"
    spec = importlib.util.spec_from_file_location("refresh_release_history", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CannedSession:
    """A requests.Session stand-in answering one URL."""

    def __init__(self, url: str, body: bytes) -> None:
        self.url, self.body = url, body

    def get(self, url: str, headers: Any = None, timeout: Any = None) -> Any:
        assert url == self.url
        return SimpleNamespace(status_code=200, content=self.body)


def test_refresh_script_merges_registry_and_deleted_versions(tmp_path: Path) -> None:
    script = load_script()
    project = Path(__file__).resolve().parent.parent / "data" / "pypi" / "litellm-project.json"
    session = CannedSession("https://pypi.org/pypi/litellm/json", project.read_bytes())
    fetcher = JsonFetcher(cast(requests.Session, session), tmp_path)
    affected = raw("litellm-2025.json")["affected"][0]
    entries = script.history(affected, script.PLAN["litellm-2025"]["litellm"], fetcher)
    assert [e["version"] for e in entries] == ["1.82.5", "1.82.6", "1.82.7", "1.82.8", "1.83.0"]
    assert entries[2] == {
        "version": "1.82.7",
        "uploaded_at": "2026-03-24T10:39:00Z",
        "removed_at": "2026-03-24T16:00:00Z",
    }
    assert entries[1] == {"version": "1.82.6", "uploaded_at": "2026-03-22T06:35:56.795579Z"}


def test_refresh_script_distrusts_npm_documents_without_created(tmp_path: Path) -> None:
    script = load_script()
    doc = {"time": {"4.4.1": "2025-05-13T22:55:09.883Z"}}
    session = CannedSession("https://registry.npmjs.org/debug", json.dumps(doc).encode())
    fetcher = JsonFetcher(cast(requests.Session, session), tmp_path)
    with pytest.raises(ScoperError, match="no 'created' entry"):
        script.npm_releases("debug", fetcher)
    doc["time"]["created"] = "2011-11-29T00:00:00.000Z"
    session.body = json.dumps(doc).encode()
    (release,) = script.npm_releases(
        "debug", JsonFetcher(cast(requests.Session, session), tmp_path)
    )
    assert release.version == "4.4.1"


def test_show_cites_labelled_sources_for_the_litellm_facts() -> None:
    from scoper.report.advisory import advisory_dict

    shown = advisory_dict(bundled.require("PYSEC-2026-2"))
    labels = {s["label"] for s in shown["sources"]}
    assert "PRIMARY" in labels
    assert all(s["fact"] for s in shown["sources"])
    assert any(s["url"] and "pypi.org" in s["url"] for s in shown["sources"])

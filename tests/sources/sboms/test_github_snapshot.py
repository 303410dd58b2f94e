"""GitHub dependency snapshots and the dependency-graph SBOM export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from packageurl import PackageURL
from sbom_fuzz import assert_only_input_errors, byte_mutations, json_mutations

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.sources.sboms import spdx
from scoper.sources.sboms.github_snapshot import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "github_snapshot"
SNAPSHOTS = ("github-docs-example.json", "python-action.json", "component-detection.json")


def parse(name: str) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def _independent(name: str) -> list[tuple[str, str | None, int]]:
    """(manifest, purl, line) of every resolved entry, read with json and a text search."""
    text = (DATA / name).read_text()
    found = []
    for manifest, body in json.loads(text)["manifests"].items():
        start = text.index(f'"{manifest}": {{')
        for key, entry in body.get("resolved", {}).items():
            at = text.index(json.dumps(key) + ":", start)
            purl = entry.get("package_url") if isinstance(entry, dict) else None
            at = at if isinstance(entry, dict) else start  # a non-object: the manifest's line
            found.append((f"manifest:{manifest}", purl, text.count("\n", 0, at) + 1))
    return found


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_every_resolved_entry_with_its_line(name: str) -> None:
    records = parse(name)
    want = _independent(name)
    lines = [p.origin.line for p in records.packages] + [s.origin.line for s in records.skipped]
    assert sorted(lines) == sorted(line for *_, line in want)
    for package in records.packages:
        (purl,) = [w[1] for w in want if w[2] == package.origin.line]
        if purl:
            assert (package.purl, package.version) == (purl, PackageURL.from_string(purl).version)


def test_docs_example_slash_purls_and_manifest_artifact() -> None:
    records = parse("github-docs-example.json")
    (artifact,) = records.artifacts
    assert (artifact.key, artifact.kind, artifact.name) == (
        "manifest:package-lock.json",
        "lockfile",
        "src/package-lock.json@ce587453ced0",
    )
    assert artifact.created_at is not None and artifact.created_at.isoformat() == (
        "2022-06-14T20:25:00+00:00"
    )
    assert [(p.ecosystem, p.name, p.version) for p in records.packages] == [
        ("npm", "@actions/core", "1.1.9"),
        ("npm", "@actions/http-client", "1.0.7"),
        ("npm", "tunnel", "0.0.6"),
    ]


def test_relationship_scope_and_unusable_entries() -> None:
    records = parse("python-action.json")
    assert [a.name for a in records.artifacts] == [
        "services/agent/uv.lock@7a624385f772",
        "requirements.txt@7a624385f772",
    ]
    packages = {p.name: p for p in records.packages}
    assert (packages["litellm"].direct, packages["litellm"].groups) == (True, ())
    assert packages["pyyaml"].direct is False
    assert (packages["pytest"].direct, packages["pytest"].groups) == (True, ("dev",))
    internal = packages["internal-tool"]
    assert (internal.ecosystem, internal.version, internal.purl) == ("generic", None, None)
    (skipped,) = records.skipped
    assert skipped.reason.endswith("broken: not an object") and not skipped.informational


def test_maven_snapshot_names() -> None:
    names = [p.name for p in parse("component-detection.json").packages]
    assert names == ["com.example:my-java-website", "org.apache.logging.log4j:log4j-core"]


@pytest.mark.parametrize("name", SNAPSHOTS)
def test_registry_detects_snapshots(name: str) -> None:
    path = DATA / name
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is SOURCE


@pytest.mark.parametrize("name", ["github-api-sbom-response.json", "github-export.spdx.json"])
def test_dependency_graph_export_reads_as_spdx(name: str) -> None:
    path = DATA / name
    assert next(s for s in all_sources() if s.sniff(path, read_head(path))) is spdx.SOURCE
    records = spdx.SOURCE.parse(path, ParseContext(name))
    assert records.artifacts[0].created_at is not None
    assert all(p.origin.line for p in records.packages)


def test_dependency_graph_export_root_is_the_subject() -> None:
    records = spdx.SOURCE.parse(DATA / "github-export.spdx.json", ParseContext("export"))
    (artifact,) = records.artifacts
    assert (artifact.name, artifact.origin.line) == ("com.github.acme/agent-runner", 15)
    litellm, checkout = records.packages
    assert (litellm.ecosystem, litellm.name, litellm.version) == ("PyPI", "litellm", "1.82.7")
    assert (checkout.ecosystem, checkout.name) == ("GitHub Actions", "actions/checkout")
    assert (checkout.version, checkout.spec) == (None, "4.*.*")  # a range, not a version


def test_api_response_wrapper_is_unwrapped() -> None:
    records = spdx.SOURCE.parse(DATA / "github-api-sbom-response.json", ParseContext("api"))
    (rails,) = records.packages
    assert (rails.name, rails.version, rails.origin.line) == ("rubygems:rails", "1.0.0", 18)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "manifests"),
        ('{"manifests": [], "detector": {}}', "manifests"),
        ('{"manifests": {}}', "no detector"),
        ('{"manifests": {', "invalid JSON"),
    ],
)
def test_broken_documents_raise_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        SOURCE.parse(path, ParseContext("snapshot.json"))


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE = (DATA / "python-action.json").read_bytes()


@FUZZ
@given(payload=byte_mutations(SAMPLE))
def test_fuzz_bytes(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.json")


@FUZZ
@given(payload=json_mutations(json.loads(SAMPLE)))
def test_fuzz_structure(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "fuzz.json")

"""package.json: dependencies, devDependencies, optionalDependencies, peerDependencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.manifests.package_json import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "package_json"
SAMPLES = sorted(DATA.glob("*/package.json"))
SECTIONS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")


def parse(path: Path) -> Records:
    return SOURCE.parse(path, ParseContext(display=str(path)))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_real_samples_read_every_declared_range(path: Path) -> None:
    assert detect(path).name == "package.json"
    records = parse(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    declared = {(k, n): v for k in SECTIONS for n, v in doc.get(k, {}).items()}
    assert len(records.packages) == len(declared)
    assert records.skipped == []
    assert all(p.version is None and p.purl is None for p in records.packages)
    assert sorted(p.spec or "" for p in records.packages) == sorted(declared.values())
    lines = path.read_text(encoding="utf-8").split("\n")
    for package in records.packages:
        assert package.origin.line is not None
        assert f'"{package.display_name}": "{package.spec}"' in lines[package.origin.line - 1]


def test_groups_peer_ranges_and_git_shorthand() -> None:
    redux = {
        (p.name, p.groups): p.spec for p in parse(DATA / "react-redux" / "package.json").packages
    }
    assert redux[("react", ("peer",))] == "^18.0 || ^19"
    assert redux[("react", ("dev",))] == "^19.2.0"
    chokidar = {p.name: p for p in parse(DATA / "chokidar" / "package.json").packages}
    assert (chokidar["fsevents"].spec, chokidar["fsevents"].groups) == ("~2.3.2", ("optional",))
    assert chokidar["normalize-path"].spec == "3.0.0"  # an exact range, still no version
    assert chokidar["readdirp"].source_url == "github:paulmillr/readdirp"


def test_aliases_local_specs_and_content_sniff(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps(
            {
                "name": "app",
                "dependencies": {
                    "lodash-old": "npm:lodash@^3.10.0",
                    "shared": "workspace:*",
                    "tool": "file:../tool",
                    "lib": "git+https://github.com/o/lib.git#0123456789abcdef",
                    "bad": 3,
                },
            },
            indent=2,
        )
    )
    assert detect(path).name == "package.json"
    records = parse(path)
    got = [(p.name, p.spec, p.commit, p.origin.line) for p in records.packages]
    assert got == [
        ("lodash", "^3.10.0", None, 4),
        ("lib", "git+https://github.com/o/lib.git#0123456789abcdef", "0123456789abcdef", 7),
    ]
    assert [(s.origin.line, s.informational) for s in records.skipped] == [
        (5, True),
        (6, True),
        (8, False),
    ]
    lock = tmp_path / "x.json"
    lock.write_text('{"lockfileVersion": 3, "packages": {"": {"dependencies": {"a": "1"}}}}')
    assert not SOURCE.sniff(lock, lock.read_bytes())


def test_broken_package_json_raises(tmp_path: Path) -> None:
    path = tmp_path / "package.json"
    path.write_text('{"dependencies": {')
    with pytest.raises(InputError, match="invalid JSON"):
        parse(path)


def test_check_reports_an_npm_range_that_admits_a_bad_version(tmp_path: Path) -> None:
    advisory = tmp_path / "adv.json"
    advisory.write_text(
        json.dumps(
            {
                "id": "TEST-NPM-1",
                "modified": "2026-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": "npm", "name": "left-pad"},
                        "versions": ["1.3.1"],
                        "database_specific": {
                            "scoper": {"versions": {"1.3.1": {"live_from": "2026-01-01T00:00:00Z"}}}
                        },
                    }
                ],
            }
        )
    )
    for spec, found in (("^1.3.0", True), ("1.3.0", False)):
        path = tmp_path / spec / "package.json"
        path.parent.mkdir()
        path.write_text(json.dumps({"dependencies": {"left-pad": spec}}, indent=2))
        _, result = api.check([path], advisory="TEST-NPM-1", extra=[advisory])
        assert [(f.package, f.line) for f in result.findings] == (
            [("left-pad", 3)] if found else []
        )

"""pixi.lock versions 4-7: conda and pypi packages, environments as groups, local sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.pixi import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pixi"
SAMPLES = sorted(DATA.glob("*/pixi.lock"))


def parse(path: Path) -> Records:
    return SOURCE.parse(path, ParseContext(display=str(path)))


def _location(entry: dict[str, str]) -> str:
    return entry.get("conda") or entry.get("pypi") or entry.get("url") or entry.get("path", "")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_real_samples_read_every_package(path: Path) -> None:
    assert detect(path).name == "pixi.lock"
    records = parse(path)
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["packages"]
    local = [e for e in entries if "://" not in _location(e)]
    assert len(records.packages) == len(entries) - len(local)
    assert len(records.skipped) == len(local)
    assert all(s.informational for s in records.skipped)
    assert all(p.version for p in records.packages)
    lines = path.read_text(encoding="utf-8").split("\n")
    for package in records.packages:
        assert package.origin.line is not None
        entry = lines[package.origin.line - 1]
        assert package.source_url and (package.source_url in entry or "kind:" in entry)


def test_v6_names_and_versions_from_the_archive_url() -> None:
    records = parse(DATA / "v6-mixed" / "pixi.lock")
    got = [(p.ecosystem, p.name, p.version, p.origin.line) for p in records.packages]
    assert got == [
        ("PyPI", "boltons", "25.0.0", 25),
        ("conda", "flask", "3.1.0", 30),
        ("conda", "python", "3.13.3", 37),
        ("PyPI", "sdist", "0.0.0", 41),
    ]
    flask = records.packages[1]
    assert (
        flask.purl == "pkg:conda/flask@3.1.0?build=pyhd8ed1ab_1&channel=conda-forge&subdir=noarch"
    )
    assert flask.hashes == (
        "md5:2da939620e3a741f61fc1cb136df66fb",
        "sha256:4dc950e0c4edf552d5375656bc4ba6239db64382decf3b19f851a097d1b292c6",
    )


def test_v4_kind_entries_and_editable_paths() -> None:
    records = parse(DATA / "v4-editable" / "pixi.lock")
    bzip2 = next(p for p in records.packages if p.name == "bzip2")
    assert (bzip2.version, bzip2.origin.line) == ("1.0.8", 31)
    assert [(s.origin.line, s.reason.split(":")[0]) for s in records.skipped] == [
        (26, "packages[0]"),
        (59, "packages[3]"),
    ]


def test_environment_groups_and_sniff(tmp_path: Path) -> None:
    url = "https://files.pythonhosted.org/packages/aa/litellm-1.82.8-py3-none-any.whl"
    conda = "https://conda.anaconda.org/conda-forge/noarch/idna-3.4-pyhd8ed1ab_0.conda"
    lock = tmp_path / "renamed.lock"
    lock.write_text(
        "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n"
        f"      - conda: {conda}\n  test:\n    packages:\n      linux-64:\n"
        f"      - conda: {conda}\n      - pypi: {url}\n"
        f"packages:\n- conda: {conda}\n- pypi: {url}\n  name: litellm\n  version: 1.82.8\n"
    )
    assert detect(lock).name == "pixi.lock"
    got = [(p.name, p.groups, p.origin.line) for p in parse(lock).packages]
    assert got == [("idna", (), 13), ("litellm", ("test",), 14)]
    _, result = api.check([lock], advisory="litellm-2025")
    assert [(f.package, f.version, f.confidence) for f in result.failing()] == [
        ("litellm", "1.82.8", "confirmed")
    ]
    assert not SOURCE.sniff(tmp_path / "conda-lock.yml", b"version: 1\nmetadata: {}\npackage:\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [("version: 6\npackages: {}\n", "packages list"), ("version: 6\n  - : [\n", "invalid YAML")],
)
def test_broken_pixi_lock_raises(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "pixi.lock"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        parse(path)


def test_entries_without_location_or_version_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "pixi.lock"
    path.write_text(
        json.dumps({"version": 6, "packages": [{"name": "x"}, {"pypi": "https://h/x.whl"}]})
    )
    records = parse(path)
    assert records.packages == []
    assert [s.informational for s in records.skipped] == [False, False]

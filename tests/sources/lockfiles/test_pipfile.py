"""Pipfile: [packages], [dev-packages] and custom categories as spec-only packages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.manifests.pipfile import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pipfile"
SAMPLES = sorted(DATA.glob("*/Pipfile"))


def parse(path: Path) -> Records:
    return SOURCE.parse(path, ParseContext(display=str(path)))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_real_samples_read_every_entry(path: Path) -> None:
    assert detect(path).name == "Pipfile"
    records = parse(path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {
        (section, name): value
        for section, table in doc.items()
        if section not in ("source", "requires", "scripts", "pipenv")
        for name, value in table.items()
    }
    local = {key for key, value in entries.items() if isinstance(value, dict) and "path" in value}
    assert len(records.packages) == len(entries) - len(local)
    assert len(records.skipped) == len(local)
    assert all(s.informational for s in records.skipped)
    assert all(p.version is None and p.spec is not None for p in records.packages)
    lines = path.read_text(encoding="utf-8").split("\n")
    for package in records.packages:
        assert package.origin.line is not None
        assert (package.display_name or "") in lines[package.origin.line - 1]


def test_pipenv_specs_groups_and_lines() -> None:
    records = parse(DATA / "pipenv" / "Pipfile")
    got = {p.name: (p.spec, p.groups, p.origin.line) for p in records.packages}
    assert got["pytz"] == ("", (), 35)
    assert got["urllib3"] == (">=2.7.0", ("dev",), 7)
    assert got["click"] == ("==8.0.3", ("dev",), 12)  # an exact pin stays a declared spec
    assert got["waitress"] == ("==3.*", ("dev",), 18)  # a bare version means ==
    assert got["legacy-cgi"] == ("", ("dev",), 31)


def test_git_file_custom_category_and_content_sniff(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile.renamed"
    path.write_text(
        '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\n\n[packages]\n'
        'tool = {git = "https://github.com/o/tool.git", ref = "0123456789abcdef0123"}\n'
        'wheel = {file = "https://example.com/wheel-1.0-py3-none-any.whl"}\n'
        "bad = {version = 3}\n\n[docs]\nsphinx = '>=7'\n"
    )
    assert detect(path).name == "Pipfile"
    records = parse(path)
    got = {p.name: (p.spec, p.groups, p.commit, p.origin.line) for p in records.packages}
    assert got == {
        "tool": (
            "@ git+https://github.com/o/tool.git@0123456789abcdef0123",
            (),
            "0123456789abcdef0123",
            6,
        ),
        "wheel": ("@ https://example.com/wheel-1.0-py3-none-any.whl", (), None, 7),
        "sphinx": (">=7", ("docs",), None, 11),
    }
    assert [(s.origin.line, s.informational) for s in records.skipped] == [(8, False)]


def test_broken_pipfile_raises(tmp_path: Path) -> None:
    path = tmp_path / "Pipfile"
    path.write_text("[packages\nrequests = '*'\n")
    with pytest.raises(InputError, match="invalid TOML"):
        parse(path)


@pytest.mark.parametrize(("spec", "found"), [(">=1.82", True), ("==1.82.6", False)])
def test_check_reports_a_range_that_admits_a_bad_version(
    tmp_path: Path, spec: str, found: bool
) -> None:
    path = tmp_path / "Pipfile"
    path.write_text(f'[packages]\nlitellm = "{spec}"\n')
    _, result = api.check([path], advisory="litellm-2025")
    got = [(f.package, f.line, f.confidence) for f in result.findings]
    assert got == ([("litellm", 2, "possible")] if found else [])

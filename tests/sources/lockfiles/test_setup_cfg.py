"""setup.cfg: install_requires, setup_requires, tests_require and extras as specs."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.manifests.setup_cfg import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "setup_cfg"
SAMPLES = sorted(DATA.glob("*/setup.cfg"))


def parse(path: Path) -> Records:
    return SOURCE.parse(path, ParseContext(display=str(path)))


def _independent_count(path: Path) -> int:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    values = [parser["options"].get(k, "") for k in ("install_requires", "setup_requires")]
    if parser.has_section("options.extras_require"):
        values += list(parser["options.extras_require"].values())
    lines = [v.strip().splitlines() if "\n" in v.strip() else v.split(";") for v in values]
    return sum(1 for chunk in lines for item in chunk if item.strip())


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_real_samples_read_every_requirement(path: Path) -> None:
    assert detect(path).name == "setup.cfg"
    records = parse(path)
    assert len(records.packages) == _independent_count(path)
    assert records.skipped == []
    assert all(p.version is None and p.spec is not None for p in records.packages)
    lines = path.read_text(encoding="utf-8").split("\n")
    for package in records.packages:
        assert package.origin.line is not None
        written = lines[package.origin.line - 1].lower()
        assert (package.display_name or "").lower() in written


def test_pytest_groups_markers_and_lines() -> None:
    records = parse(DATA / "pytest" / "setup.cfg")
    got = {(p.name, p.groups): (p.spec, p.origin.line) for p in records.packages}
    assert got[("pluggy", ())] == (">=1.4.0,<2.0", 5)
    assert got[("exceptiongroup", ())] == (">=1.0.0rc8", 7)  # the marker is not part of the spec
    assert got[("setuptools-scm", ("setup",))] == (">=6.0", 14)
    assert got[("attrs", ("testing",))] == (">=19.2.0", 24)


def test_one_line_values_split_at_semicolons() -> None:
    got = [
        (p.name, p.spec, p.groups) for p in parse(DATA / "setuptools-docs" / "setup.cfg").packages
    ]
    assert got == [
        ("requests", "", ()),
        ("importlib-metadata", "", ()),
        ("reportlab", ">=1.2", ("pdf",)),
        ("rxp", "", ("pdf",)),
        ("docutils", ">=0.3", ("rest",)),
        ("pack", "==1.1,==1.3", ("rest",)),
    ]


def test_content_sniff_and_broken_file(tmp_path: Path) -> None:
    copy = tmp_path / "setup-old.cfg"
    copy.write_bytes((DATA / "tox" / "setup.cfg").read_bytes())
    assert detect(copy).name == "setup.cfg"
    assert not SOURCE.sniff(tmp_path / "tox.ini", b"[tox]\nenvlist = py311\n")
    broken = tmp_path / "setup.cfg"
    broken.write_text("install_requires = x\n[options]\n")
    with pytest.raises(InputError, match=r"invalid setup\.cfg"):
        parse(broken)


@pytest.mark.parametrize(("spec", "found"), [(">=1.82", True), ("==1.82.6", False)])
def test_check_reports_a_range_that_admits_a_bad_version(
    tmp_path: Path, spec: str, found: bool
) -> None:
    path = tmp_path / "setup.cfg"
    path.write_text(f"[options]\ninstall_requires =\n    litellm{spec}\n")
    _, result = api.check([path], advisory="litellm-2025")
    got = [(f.package, f.line, f.confidence) for f in result.findings]
    assert got == ([("litellm", 3, "possible")] if found else [])

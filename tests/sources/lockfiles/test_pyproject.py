"""pyproject.toml: PEP 621, PEP 735, build-system and Poetry tables as spec-only packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from scoper import api
from scoper.errors import InputError
from scoper.ingest import detect
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.manifests.poetry_specs import poetry_specs
from scoper.sources.lockfiles.manifests.pyproject import SOURCE

DATA = Path(__file__).resolve().parents[2] / "data" / "pyproject"
SAMPLES = sorted(DATA.glob("*/pyproject.toml"))


def parse(path: Path) -> Records:
    return SOURCE.parse(path, ParseContext(display=str(path)))


def _independent_count(doc: dict[str, Any]) -> int:
    """Entries a reader must turn into packages, counted with tomllib alone."""
    project = doc.get("project", {})
    count = len(project.get("dependencies", []))
    count += sum(len(v) for v in project.get("optional-dependencies", {}).values())
    groups = doc.get("dependency-groups", {}).values()
    count += sum(1 for g in groups for v in g if isinstance(v, str))
    count += len(doc.get("build-system", {}).get("requires", []))
    poetry = doc.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in poetry.get("group", {}).values()]
    for table in tables:
        for name, value in table.items():
            local = isinstance(value, dict) and "path" in value
            count += 0 if name == "python" or local else 1
    return count


@pytest.mark.parametrize("path", SAMPLES, ids=[p.parent.name for p in SAMPLES])
def test_real_samples_are_detected_and_read_as_specs(path: Path) -> None:
    assert detect(path).name == "pyproject.toml"
    records = parse(path)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert len(records.packages) == _independent_count(doc)
    assert all(p.version is None and p.spec is not None for p in records.packages)
    assert all(p.purl is None and p.direct for p in records.packages)
    assert [a.kind for a in records.artifacts] == ["lockfile"]
    lines = path.read_text(encoding="utf-8").split("\n")
    for package in records.packages:
        assert package.origin.line is not None
        written = lines[package.origin.line - 1].lower().replace("_", "-")
        assert (package.display_name or "").lower().replace("_", "-") in written


def test_flask_pep621_extras_dependency_groups_and_build_system() -> None:
    records = parse(DATA / "flask" / "pyproject.toml")
    got = {(p.name, p.groups): (p.spec, p.origin.line) for p in records.packages}
    assert got[("blinker", ())] == (">=1.9.0", 24)
    assert got[("asgiref", ("async",))] == (">=3.2", 33)
    assert got[("python-dotenv", ("dotenv",))] == ("", 34)
    assert got[("greenlet", ("tests",))] == ("", 60)
    assert got[("flit-core", ("build-system",))] == (">=3.11,<4", 86)
    assert {g for p in records.packages for g in p.groups} == {
        "async", "dotenv", "dev", "docs", "docs-auto", "gha-update", "pre-commit", "tests",
        "typing", "build-system",
    }  # fmt: skip
    assert records.skipped == []


def test_poetry_caret_tilde_git_and_path_dependencies() -> None:
    records = parse(DATA / "poetry-sample" / "pyproject.toml")
    got = {p.name: (p.spec, p.groups, p.origin.line) for p in records.packages}
    assert got["cleo"] == (">=0.6,<0.7", (), 26)
    assert got["requests"] == (">=2.18,<3.0", ("optional",), 28)
    assert got["pytest"] == (">=3.4,<3.5", ("dev",), 50)
    assert got["pendulum"][0] == "@ git+https://github.com/sdispater/pendulum.git@2.0"
    assert [(s.origin.line, s.informational) for s in records.skipped] == [
        (25, True),  # python
        (34, True),  # path dependencies: the project's own code
        (37, True),
        (40, True),
    ]


def test_poetry_groups_and_pep508_with_parentheses() -> None:
    records = parse(DATA / "poetry-groups" / "pyproject.toml")
    got = {(p.name, p.groups): p.spec for p in records.packages}
    assert got[("build", ())] == ">=1.2.1,<2.0.0"
    assert got[("pytest-xdist", ("test",))] == ">=3.1"
    assert got[("pytest-github-actions-annotate-failures", ("github-actions",))] == (
        ">=0.1.7,<0.2.0"
    )
    core = next(p for p in records.packages if p.name == "poetry-core" and not p.groups)
    assert core.spec == "@ git+https://github.com/python-poetry/poetry-core.git"


@pytest.mark.parametrize(
    ("constraint", "specs"),
    [
        ("^1.2.3", [">=1.2.3,<2.0.0"]),
        ("^0.2.3", [">=0.2.3,<0.3.0"]),
        ("^0.0.3", [">=0.0.3,<0.0.4"]),
        ("^0", [">=0,<1"]),
        ("~1.2.3", [">=1.2.3,<1.3.0"]),
        ("~1", [">=1,<2"]),
        ("~=1.4", ["~=1.4"]),
        ("*", [""]),
        ("1.2.3", ["==1.2.3"]),
        ("=1.2.3", ["==1.2.3"]),
        (">= 1.2 < 2.0", [">=1.2,<2.0"]),
        ("~2.7 || ^3.6", [">=2.7,<2.8", ">=3.6,<4.0"]),
    ],
)
def test_poetry_constraints_become_pep440(constraint: str, specs: list[str]) -> None:
    assert poetry_specs(constraint) == specs


def test_dynamic_include_group_and_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n\n'
        '[dependency-groups]\ntest = ["pytest>=8", {include-group = "lint"}, "not a req!"]\n'
        'lint = ["ruff==0.9.1"]\n'
        '[tool.poetry.dependencies]\nbad = "latest"\n'
    )
    records = parse(path)
    assert [(p.name, p.spec, p.version) for p in records.packages] == [
        ("pytest", ">=8", None),
        ("ruff", "==0.9.1", None),  # an exact pin in a manifest is still a declared range
    ]
    assert [(s.origin.line, s.informational) for s in records.skipped] == [
        (3, True),  # dynamic dependencies live elsewhere
        (6, True),  # include-group: read where declared
        (6, False),
        (9, False),
    ]


def test_renamed_copy_is_sniffed_by_content_and_broken_toml_raises(tmp_path: Path) -> None:
    copy = tmp_path / "pyproject-copy.toml"
    copy.write_bytes((DATA / "httpx" / "pyproject.toml").read_bytes())
    assert detect(copy).name == "pyproject.toml"
    broken = tmp_path / "pyproject.toml"
    broken.write_text("[project]\ndependencies = [\n")
    with pytest.raises(InputError, match="invalid TOML"):
        parse(broken)


@pytest.mark.parametrize(
    ("declared", "found"),
    [
        ('[project]\nname = "app"\ndependencies = ["litellm>=1.82"]\n', True),
        ('[project]\nname = "app"\ndependencies = ["litellm==1.82.6"]\n', False),
        ('[tool.poetry.dependencies]\nlitellm = "^1.82"\n', True),
        ('[tool.poetry.dependencies]\nlitellm = "1.82.6"\n', False),
    ],
)
def test_check_reports_a_range_that_admits_a_bad_version(
    tmp_path: Path, declared: str, found: bool
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(declared)
    summary, result = api.check([path], advisory="litellm-2025")
    assert not summary.failed
    got = [(f.package, f.line, f.confidence) for f in result.findings]
    line = next(n for n, text in enumerate(declared.split("\n"), 1) if "litellm" in text)
    assert got == ([("litellm", line, "possible")] if found else [])
    assert re.search(r"admits bad version 1\.82\.[78]", result.findings[0].fact) if found else 1

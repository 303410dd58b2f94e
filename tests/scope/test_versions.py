"""versions: PEP 440 / semver matching of distinct values against an advisory."""

from __future__ import annotations

import pytest

from scoper.feeds.model import Affected, OsvRange, VersionFacts
from scoper.scope.versions import admits, in_range, is_affected, same_version, version_key

LITELLM = OsvRange("ECOSYSTEM", (("introduced", "1.82.7"), ("last_affected", "1.82.8")))


def test_pep440_equal_versions_are_the_same() -> None:
    assert same_version("PyPI", "1.0", "1.0.0")
    assert not same_version("PyPI", "1.0", "1.0.1")
    assert same_version("PyPI", "not a version", "not a version")
    assert not same_version("PyPI", "not a version", "1.0")


def test_version_keys_order_per_ecosystem() -> None:
    assert version_key("PyPI", "1.10") > version_key("PyPI", "1.9")
    assert version_key("npm", "1.10.0") > version_key("npm", "1.9.0")
    assert version_key("npm", "1.0.0-beta.1") < version_key("npm", "1.0.0")
    assert version_key("PyPI", "definitely/not") is None


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.82.6", False), ("1.82.7", True), ("1.82.8", True), ("1.82.8.post1", False)],
)
def test_last_affected_is_inclusive(version: str, expected: bool) -> None:
    assert in_range("PyPI", version, LITELLM) is expected


@pytest.mark.parametrize(
    ("version", "expected"), [("0.1", True), ("1.9.9", True), ("2.0", False), ("2.1", False)]
)
def test_introduced_zero_and_fixed_is_exclusive(version: str, expected: bool) -> None:
    fixed = OsvRange("ECOSYSTEM", (("fixed", "2.0"), ("introduced", "0")))
    assert in_range("PyPI", version, fixed) is expected


def test_limit_caps_the_range_and_git_ranges_never_match() -> None:
    limited = OsvRange("ECOSYSTEM", (("introduced", "1.0"), ("limit", "1.5")))
    assert in_range("PyPI", "1.4", limited)
    assert not in_range("PyPI", "1.5", limited)
    assert not in_range("PyPI", "abc", limited)
    assert not in_range("PyPI", "1.0", OsvRange("GIT", (("introduced", "0"),)))


def test_semver_ranges_for_npm() -> None:
    rng = OsvRange("SEMVER", (("introduced", "1.2.0"), ("fixed", "1.2.5")))
    assert in_range("npm", "1.2.4", rng)
    assert not in_range("npm", "1.2.5", rng)
    assert not in_range("npm", "1.10.0", rng)


def test_is_affected_by_list_fact_or_range() -> None:
    affected = Affected(
        "PyPI",
        "demo",
        versions=("3.0",),
        ranges=(OsvRange("ECOSYSTEM", (("introduced", "5.0"), ("fixed", "6.0"))),),
        facts=(VersionFacts("4.0"),),
    )
    found = [v for v in ("3.0.0", "3.1", "4.0", "5.2", "6.0") if is_affected(affected, v)]
    assert found == ["3.0.0", "4.0", "5.2"]


@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        (">=1.80", "1.82.8", True),
        (">=1.80", "1.79", False),
        ("", "0.0.1", True),
        (">=1.0", "2.0rc1", False),  # pre-releases only when asked for
        ("~=1.82.0", "1.82.8", True),
        ("not a spec", "1.0", False),
        (">=1.0", "not a version", False),
    ],
)
def test_pep440_specs(spec: str, version: str, expected: bool) -> None:
    assert admits("PyPI", spec, version) is expected


def test_prereleases_on_request() -> None:
    assert admits("PyPI", ">=1.0", "2.0rc1", prereleases=True)


@pytest.mark.parametrize(
    ("spec", "version", "expected"),
    [
        ("^1.2.0", "1.3.0", True),
        ("^1.2.0", "2.0.0", False),
        ("", "9.9.9", True),
        ("git+https://example.invalid/x.git", "1.0.0", False),
    ],
)
def test_npm_specs(spec: str, version: str, expected: bool) -> None:
    assert admits("npm", spec, version) is expected


def test_a_spec_naming_a_prerelease_admits_prereleases() -> None:
    assert admits("PyPI", ">=2.0rc1", "2.0rc2")

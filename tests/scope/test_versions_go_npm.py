"""Go module ordering (SemVer 2.0 with pseudo-versions) and the npm cases that keep semver.py.

The npm cases are the ones where univers 32.0.1's NpmVersionRange disagrees with
node-semver (measured; see docs/release-history.md): semver.py must keep them right.
"""

from __future__ import annotations

import pytest

from scoper.feeds.model import OsvRange
from scoper.scope import semver
from scoper.scope.versions import in_range, same_version, version_key

GO_ORDER = [
    ("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1"),
    ("v0.69.3", "v0.69.4"),
    ("v0.69.4-0.20260319000000-abcdef123456", "v0.69.4"),
    ("v0.69.4", "v0.69.10"),
    ("v0.70.0-rc.1", "v0.70.0"),
    ("v1.2.3-beta.2", "v1.2.3-beta.11"),
    ("v2.0.0+incompatible", "v2.0.1+incompatible"),
]


@pytest.mark.parametrize(("lower", "higher"), GO_ORDER)
def test_go_versions_order_as_semver(lower: str, higher: str) -> None:
    assert version_key("Go", lower) < version_key("Go", higher)


def test_go_osv_versions_without_v_match_module_versions() -> None:
    assert same_version("Go", "v0.69.4", "0.69.4")
    window = OsvRange("SEMVER", (("introduced", "0.69.4"), ("fixed", "0.69.5")))
    assert in_range("Go", "v0.69.4", window)
    assert not in_range("Go", "v0.69.5", window)
    assert in_range("Go", "v0.69.5-0.20260319000000-abcdef123456", window)  # pseudo < 0.69.5


@pytest.mark.parametrize(
    ("spec", "version", "node_semver"),
    [
        ("*", "1.0.0-beta.1", False),
        ("^1.2.3-beta.2", "1.2.4-beta.2", False),
        (">1.2.3-alpha.3", "3.4.5-alpha.9", False),
        ("~1.2.3-beta.2", "1.2.3-beta.4", True),
        ("<=1.2", "1.2.9", True),
        (">1.2", "1.2.9", False),
    ],
)
def test_npm_cases_univers_gets_wrong(spec: str, version: str, node_semver: bool) -> None:
    assert semver.satisfies(version, spec) is node_semver

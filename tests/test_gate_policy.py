"""The gate fails closed: malware at any confidence; ``--allow`` is a closed set."""

from __future__ import annotations

import pytest

from scoper.errors import ExitCode, UsageError
from scoper.feeds.model import Advisory
from scoper.scope.check import CheckFinding, CheckResult
from scoper.scope.check_policy import Allow, is_malicious, parse_allow


def _finding(advisory: str, confidence: str = "possible") -> CheckFinding:
    return CheckFinding("requirements.txt", 1, "litellm", "1.82.8", advisory, confidence, "pinned")  # type: ignore[arg-type]


def test_malware_fails_below_the_threshold() -> None:
    result = CheckResult(
        (_finding("litellm-2025"), _finding("nx-2025")),
        ("litellm-2025", "nx-2025"),
        malicious=("litellm-2025",),
    )
    assert [f.advisory for f in result.failing("confirmed")] == ["litellm-2025"]
    assert [f.advisory for f in result.failing("possible")] == ["litellm-2025", "nx-2025"]


def test_withdrawn_malware_does_not_fail() -> None:
    result = CheckResult((_finding("x"),), ("x",), withdrawn=("x",), malicious=("x",))
    assert result.failing("possible") == ()


def test_mal_alias_marks_an_advisory_malicious() -> None:
    assert is_malicious(Advisory("litellm-2025", "t", aliases=("PYSEC-2026-2", "MAL-2026-2144")))
    assert not is_malicious(Advisory("nx-2025", "t", aliases=("GHSA-cxm3-wv7p-598c",)))


def test_allow_parses_comma_lists() -> None:
    assert parse_allow("unpinned, Unreadable") == {Allow.UNPINNED, Allow.UNREADABLE}
    assert parse_allow(["unknown-ecosystem", ""]) == {Allow.UNKNOWN_ECOSYSTEM}


def test_allow_rejects_unknown_values_listing_valid_ones() -> None:
    with pytest.raises(UsageError) as exc:
        parse_allow("unpinned,everything")
    assert exc.value.exit_code == ExitCode.USAGE
    assert "'everything'" in str(exc.value)
    assert "unpinned, unreadable, unknown-ecosystem" in str(exc.value)

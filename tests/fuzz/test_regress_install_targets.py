"""Install targets naming a wheel or sdist whose version is too long for int(): no target."""

from __future__ import annotations

import pytest

from scoper.sources.audit.commands.args import python_target

HUGE = "1." + "9" * 5000


@pytest.mark.parametrize(
    "target", [f"./dist/x-{HUGE}-py3-none-any.whl", f"https://h.example/x-{HUGE}.tar.gz"]
)
def test_python_target_with_a_huge_version_is_none(target: str) -> None:
    """commands/args.py:python_target caught InvalidWheel/SdistFilename only (ValueError)."""
    assert python_target(target) is None

"""A requirements archive link with a version too long for int(): a skip, not a ValueError."""

from __future__ import annotations

from pathlib import Path

from scoper.sources.base import ParseContext
from scoper.sources.lockfiles.requirements import SOURCE as REQUIREMENTS

HUGE = "1." + "9" * 5000


def test_requirements_archive_with_a_huge_version(tmp_path: Path) -> None:
    """requirements_links.py:_file_identity let packaging's int() ValueError out."""
    path = tmp_path / "requirements.txt"
    path.write_text(f"https://files.example.org/p/telnyx-{HUGE}.tar.gz\nsix==1.16.0\n")
    records = REQUIREMENTS.parse(path, ParseContext("requirements.txt"))
    assert "six" in [p.name for p in records.packages]

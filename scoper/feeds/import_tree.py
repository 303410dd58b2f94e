"""Import shape: a folder tree, walked recursively for JSON and YAML records.

Hidden directories are skipped. In an ossf/malicious-packages checkout only
``osv/malicious/...`` and ``osv/withdrawn/...`` are read; in a pypa/advisory-database
checkout, ``vulns/<pkg>/PYSEC-*.yaml``. Each file is read within ``limits.max_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scoper.feeds.import_base import Member, is_record_name, ossf_only
from scoper.feeds.import_json import read_file
from scoper.limits import Limits


@dataclass(frozen=True, slots=True)
class FolderTree:
    """Every record file under a directory (symlinked directories are not followed)."""

    name: str = "tree"

    def claims(self, path: Path) -> bool:
        return path.is_dir()

    def members(self, path: Path, limits: Limits) -> Iterator[Member]:
        found = [p for p in path.rglob("*") if p.is_file()]
        relative = [PurePosixPath(p.relative_to(path).as_posix()) for p in found]
        relative = [r for r in relative if is_record_name(r)]
        relative = [r for r in relative if not any(part.startswith(".") for part in r.parts)]
        for rel in sorted(ossf_only(relative)):
            target = path.joinpath(*rel.parts)
            shown = str(target)
            yield Member(shown, shown, rel, _reader(target, limits))


def _reader(target: Path, limits: Limits) -> Callable[[], bytes]:
    return lambda: read_file(target, limits)

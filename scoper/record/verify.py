"""``scoper trail verify``: check each trail file's chain, and a folder's files in order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from scoper.record.chain import Verdict, iter_lines, verify_lines


def verify_file(path: Path, key: bytes | None, shown: str | None = None) -> Verdict:
    """The verdict for one trail file (an unreadable file breaks at line 1)."""
    name = shown or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Verdict(name, 0, None, 1, f"cannot read: {exc.strerror or exc}")
    if data and not data.endswith(b"\n"):
        last = data.count(b"\n") + 1
        found = verify_lines(name, iter_lines(data), key)
        return found if not found.intact else replace(found, broken_at=last, reason="cut off")
    return verify_lines(name, iter_lines(data), key)


def verify_paths(paths: Iterable[Path], key: bytes | None) -> Iterator[Verdict]:
    """Verdicts for files and for the ``trail-*.jsonl`` files of folders, in name order."""
    for path in paths:
        if path.is_dir():
            yield from _folder(sorted(path.glob("trail-*.jsonl")), key)
        else:
            yield verify_file(path, key)


def _folder(files: list[Path], key: bytes | None) -> Iterator[Verdict]:
    """Each file's chain, and that each file's header follows the one before it."""
    import json

    prev: tuple[str | None, str | None] = (None, None)
    for path in files:
        verdict = verify_file(path, key)
        if verdict.intact and prev[0] is not None:
            head = json.loads(path.read_bytes().split(b"\n", 1)[0])
            if (head.get("follows"), head.get("follows_hash")) != prev:
                verdict = replace(verdict, broken_at=1, reason="does not follow the file before")
        yield verdict
        prev = (verdict.file_id, _last(path)) if verdict.intact else (None, None)


def _last(path: Path) -> str | None:
    from scoper.record.chain import last_hash

    return last_hash(path.read_bytes())

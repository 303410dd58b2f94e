"""Where recorded events go: a file, a folder of size-rotated files, or stdout.

Writers append under an exclusive lock (hooks run as many short processes), read the last
hash of the file and chain on from it (:mod:`scoper.record.chain`). Writing never raises:
a trail that cannot be written is said on stderr and the recorded command goes on.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any

from scoper.record.chain import dumps, header, last_hash, new_file_id, seal
from scoper.record.events import now_ts

TRAIL_ENV = "SCOPER_TRAIL"
SIGN_KEY_ENV = "SCOPER_TRAIL_KEY"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
_TAIL_BYTES = 1 << 16
_SHORT_TAIL = 4096
STDOUT = "-"


class TrailKind(Enum):
    """The three places a trail may be."""

    FILE = "file"
    FOLDER = "folder"
    STDOUT = "stdout"


def default_trail() -> Path:
    """``$XDG_STATE_HOME/scoper/trail`` (a folder of rotated files)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "scoper" / "trail"


@dataclass(slots=True)
class Trail:
    """A trail destination. ``spec``: a path, a folder (exists or ends with ``/``) or ``-``."""

    spec: str
    host: str | None = None
    sign_key: bytes | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    _prev: str | None = None  # stdout: the chain kept in memory

    @property
    def kind(self) -> TrailKind:
        if self.spec == STDOUT:
            return TrailKind.STDOUT
        if self.spec.endswith(("/", os.sep)) or Path(self.spec).is_dir():
            return TrailKind.FOLDER
        return TrailKind.FILE

    def write(self, events: Sequence[dict[str, Any]]) -> bool:
        """Append ``events``; False (and a line on stderr) when the trail cannot be written."""
        if not events:
            return True
        try:
            if self.kind is TrailKind.STDOUT:
                self._stdout(events)
            elif self.kind is TrailKind.FOLDER:
                self._folder(events)
            else:
                self._file(Path(self.spec), events, None)
        except (OSError, ValueError) as exc:
            warn(f"cannot write the trail {self.spec}: {exc}; the command goes on unrecorded")
            return False
        return True

    def _stdout(self, events: Sequence[dict[str, Any]]) -> None:
        lines = []
        if self._prev is None:
            line, self._prev = seal(
                header(now_ts(), self.host, self.sign_key, None), None, self.sign_key
            )
            lines.append(line)
        for event in events:
            line, self._prev = seal(event, self._prev, self.sign_key)
            lines.append(line)
        sys.stdout.write("".join(f"{line}\n" for line in lines))
        sys.stdout.flush()

    def _header(self, follows: tuple[str, str] | None) -> tuple[str, str]:
        return seal(header(now_ts(), self.host, self.sign_key, follows), None, self.sign_key)

    def _file(self, path: Path, events: Sequence[dict[str, Any]], follows: Any) -> None:
        with _locked(path) as handle:
            self._append(handle, events, follows)

    def _append(self, handle: IO[bytes], events: Sequence[dict[str, Any]], follows: Any) -> None:
        size = handle.seek(0, os.SEEK_END)
        prev, tail, lines = None, b"", []
        for want in (_SHORT_TAIL, _TAIL_BYTES):  # most lines are short: read little first
            if size:
                handle.seek(max(0, size - want))
                tail = handle.read()
                prev = last_hash(tail)
            if prev is not None or size <= want:
                break
        if prev is None:  # new file, or one whose end is no chain: a new chain, said by header
            line, prev = seal(
                header(now_ts(), self.host, self.sign_key, follows), None, self.sign_key
            )
            lines.append(line)
        if tail and not tail.endswith(b"\n"):
            lines.insert(0, "")  # end a cut-off last line so the next stands alone
        for event in events:
            line, prev = seal(event, prev, self.sign_key)
            lines.append(line)
        handle.seek(0, os.SEEK_END)
        handle.write("\n".join(lines).encode("utf-8") + b"\n")
        handle.flush()

    def _folder(self, events: Sequence[dict[str, Any]]) -> None:
        folder = Path(self.spec)
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder / ".lock"):
            files = sorted(folder.glob("trail-*.jsonl"))
            current = files[-1] if files else None
            if current is not None and current.stat().st_size < self.max_bytes:
                self._file(current, events, None)
                return
            follows = _ends(current) if current is not None else None
            self._file(folder / _new_name(), events, follows)


def _new_name() -> str:
    stamp = now_ts().replace("-", "").replace(":", "").replace(".", "")
    return f"trail-{stamp}-{new_file_id()[:8]}.jsonl"


def _ends(path: Path) -> tuple[str, str] | None:
    """(file id, last hash) of a finished trail file, for its successor's header."""
    import json

    with path.open("rb") as handle:
        first = handle.readline()
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _TAIL_BYTES))
        last = last_hash(handle.read())
    try:
        file_id = json.loads(first).get("trail")
    except (ValueError, AttributeError):
        return None
    return (str(file_id), last) if file_id and last else None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[IO[bytes]]:
    """``path`` opened for appending under an exclusive lock (released on close)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield handle


def warn(message: str) -> None:
    """A line on stderr; a closed stderr is no reason to fail either."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"scoper record: {message}\n")
        sys.stderr.flush()


def read_sign_key(path: str | None) -> bytes | None:
    """The HMAC key from a key file (``--sign-key`` or ``$SCOPER_TRAIL_KEY``), else None."""
    chosen = path or os.environ.get(SIGN_KEY_ENV)
    return Path(chosen).read_bytes().strip() if chosen else None


def event_line(event: dict[str, Any]) -> str:
    """One event as JSON text (for messages and tests)."""
    return dumps(event)

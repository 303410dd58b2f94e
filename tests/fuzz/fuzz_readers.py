"""Seeds for every registered reader, and the one property each fuzzed input must keep.

A reader's seeds are the files (folders, for folder readers) under ``tests/data``
and ``fixtures`` that its own ``sniff`` claims. ``run_one`` writes a mutated seed
under its own name (and parent folder name, which some sniffers read), sniffs and
parses it, and returns None when the reader behaved: ``sniff`` gave a bool and
``parse`` returned Records or raised an InputError naming the display path. Bulk
readers are loaded through an :class:`Ingester` into an in-memory store instead.
"""

from __future__ import annotations

import random
import shutil
import time
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
from fuzz_mutations import mutate

from scoper.errors import InputError
from scoper.ingest import Ingester
from scoper.model import Records
from scoper.sources.base import BulkSource, ParseContext, Source
from scoper.sources.reading import read_head
from scoper.sources.registry import all_sources
from scoper.store.db import MEMORY, connect

ROOT = Path(__file__).resolve().parents[2]
SEED_ROOTS = (ROOT / "tests" / "data", ROOT / "fixtures")
DISPLAY_DIR = "fuzzed-input"
SLOW_SECONDS = 5.0  # CPU seconds for one input: reported, not a failure


@dataclass(frozen=True, slots=True)
class Seed:
    """One seed input: a file, or a folder for folder readers."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def files(self) -> list[Path]:
        """The seed's files (itself, or every file in the folder)."""
        if self.path.is_file():
            return [self.path]
        return sorted(p for p in self.path.rglob("*") if p.is_file())


def _candidates() -> list[Path]:
    found: list[Path] = []
    for root in SEED_ROOTS:
        found.extend(sorted(p for p in root.rglob("*") if not p.name.endswith(".md")))
    return found


def _claims(source: Source, path: Path) -> bool:
    if source.directory != path.is_dir():
        return False
    try:
        return source.sniff(path, b"" if path.is_dir() else read_head(path))
    except Exception:
        return False  # a seed a sniffer chokes on is still fuzzed by the others


@cache
def seeds(name: str) -> tuple[Seed, ...]:
    """The seeds the reader called ``name`` claims (folders: outermost claimed only)."""
    source = reader(name)
    claimed = [p for p in _candidates() if _claims(source, p)]
    outer = [p for p in claimed if not any(q in p.parents for q in claimed)]
    return tuple(Seed(p) for p in outer)


@cache
def reader(name: str) -> Source:
    """The registered source called ``name``."""
    return next(s for s in all_sources() if s.name == name)


@cache
def is_bulk(name: str) -> bool:
    """True for a reader that loads into DuckDB itself (a protocol check: slow, so cached)."""
    return isinstance(reader(name), BulkSource)


def reader_names() -> list[str]:
    """Every registered reader, in registry order."""
    return [s.name for s in all_sources()]


def build_input(rng: random.Random, seed: Seed, tmp: Path) -> Path:
    """Write a mutated copy of ``seed`` under ``tmp``; returns the path to read."""
    if seed.path.is_dir():
        target = tmp / seed.name
        shutil.copytree(seed.path, target, symlinks=True)
        files = [target / p.relative_to(seed.path) for p in seed.files()]
        for victim in rng.sample(files, min(len(files), rng.choice([1, 1, 2, 3]))):
            _damage_member(rng, victim)
        return target
    folder = tmp / (seed.path.parent.name or "seed")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / seed.name
    target.write_bytes(mutate(rng, seed.path.read_bytes()))
    return target


def _damage_member(rng: random.Random, path: Path) -> None:
    roll = rng.random()
    if roll < 0.08:
        path.unlink()
    elif roll < 0.12:
        path.unlink()
        path.mkdir()
    elif roll < 0.16:
        twin = path.parent.parent / (rng.choice(["x", "", "-", "é"]) + "-1.dist-info")
        twin.mkdir(exist_ok=True)
        (twin / path.name).write_bytes(mutate(rng, path.read_bytes()))
    else:
        path.write_bytes(mutate(rng, path.read_bytes()))


def display_of(path: Path) -> str:
    """The display name given to the reader (not the real temporary path)."""
    return f"{DISPLAY_DIR}/{path.name}"


class Checker:
    """Runs inputs through a reader; keeps an in-memory store for loading.

    Bulk readers are always loaded; with ``load`` every reader's Records are too
    (through the Ingester, as ``scoper ingest`` does), which finds what the store refuses.
    """

    def __init__(self, load: bool = False) -> None:
        self.load = load
        self._con: duckdb.DuckDBPyConnection | None = None
        self._loads = 0

    def check(self, source: Source, path: Path) -> str | None:
        """None if the reader behaved on ``path``, else what went wrong."""
        display = display_of(path)
        try:
            sniffed = source.sniff(path, b"" if path.is_dir() else read_head(path))
            if not isinstance(sniffed, bool):
                return f"sniff returned {type(sniffed).__name__}, not bool"
            if self.load or is_bulk(source.name):
                return self._ingest(source, path)
            records = source.parse(path, ParseContext(display=display))
        except InputError as exc:
            rendered = exc.render()
            named = display in rendered or str(path) in rendered  # read_head names the path
            return None if named else f"InputError without the path: {rendered}"
        except (Exception, RecursionError):
            return traceback.format_exc()
        if not isinstance(records, Records):
            return f"parse returned {type(records).__name__}, not Records"
        return _bad_events(records)

    def _ingest(self, source: Source, path: Path) -> str | None:
        if self._con is None or self._loads >= 200:
            if self._con is not None:
                self._con.close()
            self._con, self._loads = connect(MEMORY), 0
        self._loads += 1
        result = Ingester(self._con).ingest(path, source)
        if result.status in ("ok", "partial", "unchanged"):
            return None
        if result.status in ("error", "empty") and result.error and str(path) in result.error:
            return None
        return f"ingest {result.status}: {result.error!r}"


def _bad_events(records: Records) -> str | None:
    for event in records.events:
        if event.ts.tzinfo is None:
            return f"event without a time zone: {event!r}"[:500]
    return None


def timed_check(checker: Checker, source: Source, path: Path) -> tuple[str | None, float]:
    """``checker.check`` and the CPU seconds it took (wall time varies with the load)."""
    start = time.process_time()
    failure = checker.check(source, path)
    return failure, time.process_time() - start

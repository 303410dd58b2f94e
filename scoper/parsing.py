"""Parsing files in worker processes when there is enough work to repay them."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from scoper.errors import InputError
from scoper.limits import Limits, set_limits
from scoper.model import Records
from scoper.sources.base import ParseContext
from scoper.sources.registry import get_source

PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 8 << 20  # by default, parse in workers only when there is this much
FOLDER_BYTES = 1 << 20  # what a claimed folder (site-packages) counts for


def worker_count(paths: Sequence[Path], asked: int | None) -> int:
    """How many worker processes to parse the files at ``paths`` with (1: in this process).

    A worker costs an interpreter start and scoper's imports (about a second) and each
    file a round trip: for many tiny files parsing here is faster, so unless ``asked``,
    workers are used only for ``PARALLEL_MIN_BYTES`` of input or more.
    """
    if len(paths) < PARALLEL_MIN_FILES:
        return 1
    if asked is not None:
        return asked
    size = sum(FOLDER_BYTES if p.is_dir() else p.stat().st_size for p in paths)
    return (os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1


def parse_job(
    path: Path, source_name: str, display: str, host: str | None, key: bytes, limits: Limits
) -> Records | str:
    """Parse one file in a worker process; an input error comes back as its message."""
    set_limits(limits)
    ctx = ParseContext(display, host, key)
    try:
        with gc_paused():
            return get_source(source_name).parse(path, ctx)
    except InputError as exc:
        return exc.render()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsers build many small objects and no cycles: the collector only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor | None]:
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        yield pool

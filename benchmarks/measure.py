"""Run one measurement in a fresh process, so timings and peak RSS never mix."""

from __future__ import annotations

import multiprocessing
import platform
import resource
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

Figures = dict[str, float | str]
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # scoper from this checkout, in parent and spawned children
    sys.path.insert(0, str(ROOT))


def _current_rss_mib() -> float:
    with Path("/proc/self/statm").open() as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _child(task: Callable[..., Figures], args: tuple[object, ...], out: Connection) -> None:
    baseline = _current_rss_mib()
    figures = task(*args)
    figures["baseline_rss_mib"] = baseline
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send(figures)
    out.close()


def isolated(task: Callable[..., Figures], *args: object) -> Figures:
    """``task(*args)`` in a new spawned process; adds its baseline and peak RSS (MiB).

    The baseline is the RSS after imports (Python, DuckDB, scoper), before the task.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(task, args, send))
    process.start()
    send.close()
    try:
        figures: Figures = receive.recv()
    except EOFError:
        figures = {}
    process.join()
    if process.exitcode != 0 or not figures:
        raise RuntimeError(f"measurement {task.__name__} failed (exit {process.exitcode})")
    return figures


def best_of(repeat: int, task: Callable[..., Figures], *args: object) -> Figures:
    """The fastest of ``repeat`` isolated runs (by ``wall_s``), with every run's wall time."""
    runs = [isolated(task, *args) for _ in range(max(1, repeat))]
    best = min(runs, key=lambda figures: float(figures["wall_s"]))
    best["walls_s"] = " ".join(f"{float(r['wall_s']):.2f}" for r in runs)
    return best


def interleaved(
    repeat: int, tasks: dict[str, tuple[Callable[..., Figures], tuple[object, ...]]]
) -> dict[str, Figures]:
    """Every task once per round, ``repeat`` rounds (so load spikes hit all alike); per task
    the run with the median ``wall_s``, with every run's wall time and peak RSS."""
    runs: dict[str, list[Figures]] = {name: [] for name in tasks}
    for _ in range(max(1, repeat)):
        for name, (task, args) in tasks.items():
            runs[name].append(isolated(task, *args))
    chosen = {}
    for name, done in runs.items():
        ordered = sorted(done, key=lambda figures: float(figures["wall_s"]))
        median = ordered[len(ordered) // 2]
        median["walls_s"] = " ".join(f"{float(r['wall_s']):.2f}" for r in done)
        median["rss_mib"] = " ".join(f"{float(r['peak_rss_mib']):.0f}" for r in done)
        median["max_peak_rss_mib"] = max(float(r["peak_rss_mib"]) for r in done)
        chosen[name] = median
    return chosen


def machine() -> str:
    """CPU model, cores, memory, Python and DuckDB versions, for the report."""
    import duckdb

    cpu = platform.processor() or platform.machine()
    meminfo = Path("/proc/meminfo")
    memory = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            ln.split(":", 1)[1].strip()
            for ln in cpuinfo.read_text().splitlines()
            if ln.startswith("model name")
        ]
        cpu = f"{names[0]} x{len(names)}" if names else cpu
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    return (
        f"{cpu}{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )

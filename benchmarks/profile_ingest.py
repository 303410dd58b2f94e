"""Where scoper's ingest of one file spends its time, statement by statement.

    python benchmarks/profile_ingest.py benchmarks/out/events-1000000-s1.jsonl

Wraps the store connection so every SQL statement the ingest runs is timed; the
sha256 of the file and format detection are timed on their own. Nothing in scoper
is changed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import duckdb
from measure import Figures, isolated


class TimedConnection:
    """A DuckDB connection that records the wall time of each execute/executemany."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.timings: list[tuple[str, float]] = []

    def _timed(self, call: Callable[..., Any], sql: str, *args: Any) -> Any:
        began = time.perf_counter()
        result = call(sql, *args)
        self.timings.append((_label(sql), time.perf_counter() - began))
        return result

    def execute(self, sql: str, *args: Any) -> Any:
        return self._timed(self._con.execute, sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        return self._timed(self._con.executemany, sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def _label(sql: str) -> str:
    lines = [ln.strip() for ln in sql.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("--")]
    return " ".join(lines)[:90] if lines else "(empty)"


def profile(path: str, db: str) -> Figures:
    """Ingest ``path`` into a fresh store at ``db`` through a TimedConnection."""
    from scoper.ingest import Ingester, detect, file_digest
    from scoper.store.db import connect

    Path(db).unlink(missing_ok=True)
    figures: Figures = {}
    began = time.perf_counter()
    file_digest(Path(path))
    figures["sha256 of the file (Python hashlib)"] = time.perf_counter() - began
    began = time.perf_counter()
    detect(Path(path))
    figures["detect format (sniff)"] = time.perf_counter() - began
    timed = TimedConnection(connect(db))
    began = time.perf_counter()
    Ingester(cast(duckdb.DuckDBPyConnection, timed)).ingest(Path(path))  # duck-typed wrapper
    figures["TOTAL ingest"] = time.perf_counter() - began
    for label, seconds in timed.timings:
        figures[label] = float(figures.get(label, 0.0)) + seconds
    began = time.perf_counter()
    timed.close()
    figures["close (checkpoint)"] = time.perf_counter() - began
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    db = Path(__file__).resolve().parent / "out" / "profile.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    figures = isolated(profile, str(args.file), str(db))
    rss = figures.pop("peak_rss_mib"), figures.pop("baseline_rss_mib")
    total = float(figures["TOTAL ingest"])
    for label, seconds in sorted(figures.items(), key=lambda kv: -float(kv[1])):
        if float(seconds) >= 0.005:
            print(f"{float(seconds):8.3f} s {100 * float(seconds) / total:5.1f}%  {label}")
    print(f"peak RSS {rss[0]:.0f} MiB (baseline {rss[1]:.0f} MiB)")
    db.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

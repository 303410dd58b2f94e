"""Scope latency over an ingested store: cold (first run in a fresh process), then warm.

python benchmarks/bench_scope.py benchmarks/out/events-1000000-s1.scoper.duckdb
python benchmarks/bench_scope.py STORE --sweep   # --advisory all: every bundled advisory
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from measure import Figures, isolated


def scope_latency(db: str, advisory: str, runs: int) -> Figures:
    """Open the store, scope once (cold), then ``runs`` more times (warm, best kept)."""
    from scoper.feeds.bundled import require
    from scoper.scope.chain import scope
    from scoper.store.db import connect

    began = time.perf_counter()
    con = connect(db)
    adv = require(advisory)
    opened = time.perf_counter()
    result = scope(con, adv)
    cold = time.perf_counter() - opened
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        scope(con, adv)
        warm.append(time.perf_counter() - start)
    con.close()
    return {
        "open_s": opened - began,
        "cold_s": cold,
        "warm_best_s": min(warm, default=cold),
        "environments": len(result.environments),
        "sessions": len(result.sessions),
        "hosts": len(result.hosts),
        "credentials": len(result.credentials),
        "uses_after_exposure": sum(len(c.used_after_exposure) for c in result.credentials),
    }


def sweep_latency(db: str, runs: int) -> Figures:
    """``--advisory all`` over the store: one sweep (cold), then ``runs`` more (warm)."""
    from scoper.feeds.bundled import load_all
    from scoper.scope.coverage import measure
    from scoper.scope.sweep import sweep
    from scoper.store.db import connect

    con = connect(db)
    advisories = load_all()
    began = time.perf_counter()
    result = sweep(con, advisories, measure(con))
    cold = time.perf_counter() - began
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        sweep(con, advisories, measure(con))
        warm.append(time.perf_counter() - start)
    con.close()
    return {
        "advisories": len(advisories),
        "cold_s": cold,
        "warm_best_s": min(warm, default=cold),
        "exposed": sum(1 for r in result.rows if r.status.value == "exposed"),
        "sessions": sum(r.sessions for r in result.rows),
    }


def sweep_report(figures: Figures, runs: int) -> str:
    """The sweep figures as a few aligned lines."""
    per = figures["warm_best_s"] / max(figures["advisories"], 1)
    return "\n".join(
        [
            f"sweep of {figures['advisories']} advisories cold  {figures['cold_s']:8.3f} s   "
            f"peak RSS {figures['peak_rss_mib']:.0f} MiB",
            f"sweep warm (best of {runs})        {figures['warm_best_s']:8.3f} s   "
            f"({per:.3f} s per advisory)",
            f"exposed: {figures['exposed']} advisories, {figures['sessions']} sessions",
        ]
    )


def report(figures: Figures, runs: int) -> str:
    """The scope figures as a few aligned lines."""
    return "\n".join(
        [
            f"scope open store        {figures['open_s']:8.3f} s",
            f"scope cold              {figures['cold_s']:8.3f} s   "
            f"peak RSS {figures['peak_rss_mib']:.0f} MiB",
            f"scope warm (best of {runs}) {figures['warm_best_s']:8.3f} s",
            f"found: {figures['environments']} environments, {figures['sessions']} sessions, "
            f"{figures['hosts']} hosts, {figures['credentials']} credentials, "
            f"{figures['uses_after_exposure']} uses after exposure",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path, help="a scoper .duckdb store (bench_ingest.py leaves one)")
    parser.add_argument("--advisory", default="litellm-2025")
    parser.add_argument("--runs", type=int, default=3, help="warm runs (best is kept)")
    parser.add_argument("--sweep", action="store_true", help="time --advisory all instead")
    args = parser.parse_args()
    if args.sweep:
        print(sweep_report(isolated(sweep_latency, str(args.db), args.runs), args.runs))
        return 0
    print(report(isolated(scope_latency, str(args.db), args.advisory, args.runs), args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

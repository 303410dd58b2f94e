"""Ingest throughput of scoper against DuckDB's bare JSON read, then scope latency.

    python benchmarks/bench_ingest.py benchmarks/out/events-1000000-s1.jsonl

Each measurement runs in its own spawned process (measure.isolated). Figures are
also written to benchmarks/out/<file>.results.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench_scope import report, scope_latency
from measure import Figures, best_of, interleaved, isolated, machine

OUT = Path(__file__).resolve().parent / "out"


def bare_read(path: str, db: str) -> Figures:
    """DuckDB alone: ``CREATE TABLE t AS SELECT * FROM read_ndjson(file)`` (+ close)."""
    import duckdb

    Path(db).unlink(missing_ok=True)
    con = duckdb.connect(db)
    began = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_ndjson($path)", {"path": path})
    row = con.execute("SELECT count(*) FROM t").fetchone()
    con.close()
    seconds = time.perf_counter() - began
    if db != ":memory:":
        Path(db).unlink()
    return {"wall_s": seconds, "events": float(row[0]) if row else 0.0}


def scoper_ingest(path: str, db: str) -> Figures:
    """scoper: ``Ingester(con).ingest(file)`` into a fresh store, commit and close."""
    from scoper.ingest import Ingester
    from scoper.limits import Limits
    from scoper.store.db import connect

    Path(db).unlink(missing_ok=True)
    began = time.perf_counter()
    con = connect(db)
    opened = time.perf_counter()
    big = Limits(max_bytes=64 * 1024**3)  # a 10M-event file is 1.7 GB (default 1 GiB)
    result = Ingester(con, limits=big).ingest(Path(path))
    loaded = time.perf_counter()
    con.close()
    closed = time.perf_counter()
    if result.status not in ("ok", "partial"):
        raise RuntimeError(f"ingest failed: {result.error}")
    return {
        "wall_s": closed - opened,
        "create_store_s": opened - began,
        "ingest_s": loaded - opened,
        "close_s": closed - loaded,
        "events": float(result.records + result.skipped),
    }


def row(label: str, figures: Figures, size: float, reference: float | None) -> str:
    wall = float(figures["wall_s"])
    events = float(figures["events"])
    ratio = f"{wall / reference:6.2f}x" if reference else "      -"
    return (
        f"{label:<28}{wall:8.2f} s {events / wall / 1e3:9.0f}k ev/s {size / wall / 1e6:7.1f}"
        f" MB/s {figures['peak_rss_mib']:7.0f} MiB {ratio}"
    )


def run(
    path: Path, runs: int, repeat: int, scope: bool = True, memory: bool = True
) -> dict[str, Figures]:
    """All measurements for one file; prints them as they come."""
    stem = path.name.removesuffix(".gz").removesuffix(".jsonl")
    size = path.stat().st_size
    store = OUT / f"{stem}.scoper.duckdb"
    print(f"{path} ({size / 1e6:.1f} MB on disk)\n{machine()}")
    print(
        f"{'measurement':<28}{'wall':>10} {'events/s':>15} {'MB/s':>12} {'peak RSS':>11} "
        f"{'ratio':>7}"
    )
    results: dict[str, Figures] = {}
    if memory:
        results["bare_memory"] = best_of(1, bare_read, str(path), ":memory:")
        print(row("duckdb read_ndjson :memory:", results["bare_memory"], size, None))
    bare_db = str(OUT / f"{stem}.bare.duckdb")
    tasks = {
        "bare_file": (bare_read, (str(path), bare_db)),
        "scoper": (scoper_ingest, (str(path), str(store))),
    }
    results.update(interleaved(repeat, tasks))
    reference = float(results["bare_file"]["wall_s"])
    print(row("duckdb read_ndjson file", results["bare_file"], size, None))
    print(row("scoper ingest file", results["scoper"], size, reference))
    scoper = results["scoper"]
    pairs = zip(
        str(results["bare_file"]["walls_s"]).split(), str(scoper["walls_s"]).split(), strict=True
    )
    ratios = sorted(float(s) / float(b) for b, s in pairs)
    results["ratio"] = {
        "median": ratios[len(ratios) // 2],
        "runs": " ".join(f"{r:.2f}" for r in ratios),
    }
    print(
        f"  ratio per round (scoper / bare file): {results['ratio']['runs']}, "
        f"median {ratios[len(ratios) // 2]:.2f}x"
    )
    for key, label in (
        ("bare_file", "bare file"),
        ("scoper", "scoper"),
    ):
        print(
            f"  {label} runs: {results[key]['walls_s']} s, peak RSS {results[key]['rss_mib']} MiB"
        )
    print(
        f"  (ingest {scoper['ingest_s']:.2f} s + close {scoper['close_s']:.2f} s; "
        f"creating the empty store took {scoper['create_store_s']:.2f} s, not counted; "
        f"ratio is to the bare read into a file)"
    )
    if scope:
        results["scope"] = isolated(scope_latency, str(store), "litellm-2025", runs)
        print(report(results["scope"], runs))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="a JSONL (or .jsonl.gz) file from generate.py")
    parser.add_argument("--runs", type=int, default=3, help="warm scope runs (best is kept)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="interleaved rounds of (bare read, scoper ingest), fresh processes (median shown)",
    )
    parser.add_argument("--no-scope", action="store_true", help="skip the scope latency")
    parser.add_argument("--no-memory", action="store_true", help="skip the :memory: read")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results = run(args.file, args.runs, args.repeat, not args.no_scope, not args.no_memory)
    target = OUT / f"{args.file.name}.results.json"
    target.write_text(json.dumps({"machine": machine(), **results}, indent=2) + "\n")
    print(f"figures written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

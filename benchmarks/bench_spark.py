"""The same scope on local Spark (local[2]) and on DuckDB, interleaved, medians: a ratio.

python benchmarks/bench_spark.py benchmarks/out/events-1000000-s1.scoper.duckdb --runs 3

The store is exported once as canonical Parquet beside it (``<store>.parquet/``); DuckDB
scopes the store in-process, Spark the Parquet through one warm session (its start-up is
reported apart). Both answers must be the same JSON, or the benchmark fails.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from scoper import api
from scoper.api_export import export_parquet
from scoper.api_spark import scope_spark
from scoper.engines.spark import session
from scoper.report.base import RenderOptions
from scoper.report.json import JsonRenderer
from scoper.settings import Settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", type=Path, help="a scoper .duckdb store (bench_ingest.py leaves one)")
    parser.add_argument("--advisory", default="litellm-2025")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.from_env(db=str(args.db))
    lake = args.db.with_suffix(".parquet")
    if not lake.exists():
        export_parquet(lake, settings)
    started = time.perf_counter()
    spark = session()
    print(f"spark session start: {time.perf_counter() - started:.1f} s")
    duck: list[float] = []
    sparked: list[float] = []
    answers: set[str] = set()
    for _ in range(args.runs):
        for times, run in (
            (duck, lambda: api.scope(args.advisory, settings=settings)),
            (sparked, lambda: scope_spark(args.advisory, lake, settings=settings, spark=spark)),
        ):
            started = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - started)
            out = io.StringIO()
            JsonRenderer().render(result, out, RenderOptions())
            answers.add(out.getvalue())
    d, s = statistics.median(duck), statistics.median(sparked)
    print(f"duckdb scope: {d:.2f} s  spark scope: {s:.2f} s  spark/duckdb: {s / d:.1f}x")
    spark.stop()
    return 0 if len(answers) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Ingest throughput of scoper's log sources (auditd, CloudTrail): parse alone vs parse + load.

    python benchmarks/bench_sources.py benchmarks/out/auditd-1000000-s1.log \\
        benchmarks/out/cloudtrail-1000000-s1
    python benchmarks/bench_sources.py --profile parse benchmarks/out/auditd-1000000-s1.log

An input is a file or a folder (walked as ``scoper ingest FOLDER`` walks it). Each
measurement runs in a fresh spawned process (measure.isolated), best of ``--repeat``:

1. *parse*: ``detect`` outside the clock, then ``source.parse(file, ctx)`` of every
   file, one after another in one process, no store: the Python parsing alone.
2. *ingest*: ``Ingester(connect(db)).ingest_all(files)`` into a fresh persistent
   store, plus ``close()``; workers as scoper picks them (a pool of cpu_count
   processes when there are 16 files or more). For a folder also ``workers=1``, the
   parse and the load in one process, so ``ingest workers=1 - parse`` is the load.
3. For a CloudTrail folder, *DuckDB alone*: ``read_json`` of the same files, the
   fields scoper keeps of each record, into a persistent file: a floor for a native load.

``--profile parse|ingest`` runs cProfile on one parse (or a ``workers=1`` ingest)
instead and prints the top functions with file:line. Figures go to
``out/<input>.sources.json``; profiles to ``out/<input>.<what>.prof``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import struct
import time
from pathlib import Path
from typing import TYPE_CHECKING

from measure import ROOT, Figures, best_of, isolated, machine

if TYPE_CHECKING:
    from scoper.sources.base import Source

OUT = Path(__file__).resolve().parent / "out"
KEY = b"\x07" * 32  # fingerprint key for parse-only runs (the store makes its own)
CLOUDTRAIL_FIELDS = (
    "STRUCT(eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, sourceIPAddress "
    "VARCHAR, userAgent VARCHAR, userIdentity STRUCT(type VARCHAR, arn VARCHAR, accessKeyId "
    "VARCHAR, principalId VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))))[]"
)


def inputs(path: Path) -> list[Path]:
    """The files scoper ingests for ``path`` (a folder is walked in name order)."""
    from scoper.ingest import iter_inputs

    return [found for found, _named in iter_inputs([path])]


def sizes(files: list[Path]) -> tuple[int, int]:
    """(bytes on disk, bytes after gunzip) of the files; gzip size from each trailer."""
    disk = raw = 0
    for file in files:
        size = file.stat().st_size
        disk += size
        with file.open("rb") as handle:
            if handle.read(2) == b"\x1f\x8b":
                handle.seek(-4, 2)
                size = struct.unpack("<I", handle.read(4))[0]  # ISIZE: size mod 2**32
        raw += size
    return disk, raw


def parse_only(path: str) -> Figures:
    """Every file's ``source.parse`` in turn (detection not timed); records are dropped."""
    from scoper.ingest import detect

    planned = [(file, detect(file)) for file in inputs(Path(path))]
    began = time.perf_counter()
    figures = parse_all(planned)
    figures["wall_s"] = time.perf_counter() - began
    figures["source"] = planned[0][1].name
    figures["files"] = float(len(planned))
    figures["input_records"] = _input_records(figures, [file for file, _ in planned])
    return figures


def parse_all(planned: list[tuple[Path, Source]]) -> Figures:
    """Parse each file with its source; the numbers of records of each kind."""
    from scoper.sources.base import ParseContext

    counts: Figures = dict.fromkeys(
        ("events", "sessions", "credentials", "credential_uses", "skipped"), 0.0
    )
    for file, source in planned:
        ctx = ParseContext(str(file), None, KEY)
        records = source.parse(file, ctx)
        for name in counts:
            counts[name] = float(counts[name]) + len(getattr(records, name))
        del records
    return counts


def _input_records(figures: Figures, files: list[Path]) -> float:
    """Lines for a line format (auditd); records for CloudTrail (each is a use or a skip)."""
    if figures["source"] == "cloudtrail":
        return float(figures["credential_uses"]) + float(figures["skipped"])
    from scoper.sources.reading import read_text

    return float(sum(1 for file in files for line in read_text(file).split("\n") if line.strip()))


def ingest(path: str, db: str, workers: int | None) -> Figures:
    """scoper's ingest of the input into a fresh store, commit and close (store creation apart)."""
    from scoper.ingest import Ingester
    from scoper.store.db import connect

    for stale in (Path(db), Path(db + ".wal")):
        stale.unlink(missing_ok=True)
    began = time.perf_counter()
    con = connect(db)
    opened = time.perf_counter()
    results = Ingester(con).ingest_all(inputs(Path(path)), workers=workers)
    loaded = time.perf_counter()
    con.close()
    closed = time.perf_counter()
    failed = [r for r in results if r.status not in ("ok", "partial")]
    if failed:
        raise RuntimeError(f"{len(failed)} files failed, first: {failed[0].error}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "wall_s": closed - opened,
        "create_store_s": opened - began,
        "ingest_s": loaded - opened,
        "close_s": closed - loaded,
        "rows": float(sum(r.records + r.skipped for r in results)),
        "workers_peak_rss_mib": children,
        "store_mb": Path(db).stat().st_size / 1e6,
    }


def duckdb_read(path: str, db: str) -> Figures:
    """DuckDB alone: the CloudTrail fields scoper keeps, ``unnest(Records)``, into a file."""
    import duckdb

    Path(db).unlink(missing_ok=True)
    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")
    began = time.perf_counter()
    con.execute(
        f"""
        CREATE TABLE t AS SELECT r.eventTime, r.userIdentity.accessKeyId AS key_id,
            coalesce(r.userIdentity.arn, r.userIdentity.sessionContext.sessionIssuer.arn,
                     r.userIdentity.principalId) AS principal,
            r.sourceIPAddress, r.userAgent, r.eventSource || ':' || r.eventName AS action
        FROM (SELECT unnest(Records) AS r FROM read_json($glob, format = 'auto',
              maximum_object_size = 1073741824, columns = {{'Records': '{CLOUDTRAIL_FIELDS}'}}))
    """,
        {"glob": f"{path}/**/*.json*"},
    )
    row = con.execute("SELECT count(*) FROM t").fetchone()
    con.close()
    seconds = time.perf_counter() - began
    Path(db).unlink()
    return {"wall_s": seconds, "rows": float(row[0]) if row else 0.0}


def profile(path: str, what: str, db: str) -> Figures:
    """cProfile of one parse or one workers=1 ingest; the top functions as text."""
    from scoper.ingest import detect

    planned = [(file, detect(file)) for file in inputs(Path(path))]
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    figures = parse_all(planned) if what == "parse" else ingest(path, db, 1)
    profiler.disable()
    figures["wall_s"] = time.perf_counter() - began
    target = OUT / f"{Path(path).name}.{what}.prof"
    profiler.dump_stats(target)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)
    figures["profile"] = (
        text.getvalue()
        .replace(f"{ROOT}/", "")
        .replace("/work/.venv/lib/python3.11/site-packages/", "")
    )
    figures["profile_file"] = str(target)
    return figures


def row(label: str, figures: Figures, records: float, size: tuple[int, int]) -> str:
    wall = float(figures["wall_s"])
    return (
        f"{label:<30}{wall:8.2f} s {records / wall / 1e3:8.1f}k rec/s "
        f"{size[0] / wall / 1e6:6.1f} {size[1] / wall / 1e6:7.1f} MB/s "
        f"{float(figures['peak_rss_mib']):6.0f} MiB"
    )


def run(path: Path, repeat: int) -> dict[str, Figures]:
    """All measurements for one input; prints them as they come."""
    files = inputs(path)
    size = sizes(files)
    db = str(OUT / f"{path.name}.bench.duckdb")
    print(
        f"\n{path}: {len(files)} file(s), {size[0] / 1e6:.1f} MB on disk, "
        f"{size[1] / 1e6:.1f} MB raw"
    )
    print(
        f"{'measurement':<30}{'wall':>10} {'records/s':>14} {'MB/s disk':>8} {'raw':>6}"
        f" {'peak RSS':>10}"
    )
    results: dict[str, Figures] = {"parse": best_of(repeat, parse_only, str(path))}
    parsed = results["parse"]
    records = float(parsed["input_records"])
    print(row(f"{parsed['source']} parse only", parsed, records, size))
    plans: list[tuple[str, int | None]] = [("ingest", None)]
    if len(files) > 1:
        plans.append(("ingest_workers_1", 1))
    for key, workers in plans:
        results[key] = best_of(repeat, ingest, str(path), db, workers)
        label = "scoper ingest" + (" workers=1" if workers == 1 else "")
        line = row(label, results[key], records, size)
        if workers is None and len(files) > 1:
            line += f"  (each worker at most {float(results[key]['workers_peak_rss_mib']):.0f} MiB)"
        print(line)
    if parsed["source"] == "cloudtrail" and path.is_dir():
        results["duckdb"] = best_of(repeat, duckdb_read, str(path), db)
        print(row("duckdb read_json file", results["duckdb"], records, size))
    Path(db).unlink(missing_ok=True)
    _summary(results, records)
    return results


def _summary(results: dict[str, Figures], records: float) -> None:
    parsed = results["parse"]
    single = results.get("ingest_workers_1", results["ingest"])
    load = float(single["wall_s"]) - float(parsed["wall_s"])
    counts = ", ".join(
        f"{int(float(parsed[k]))} {k}"
        for k in ("events", "sessions", "credentials", "credential_uses", "skipped")
        if float(parsed[k])
    )
    print(f"  input: {int(records)} records -> {counts}")
    print(
        f"  one process: parse {float(parsed['wall_s']):.2f} s + load {load:.2f} s "
        f"(sha256, detect, rows, Arrow, insert, commit, close) = {float(single['wall_s']):.2f} s"
    )
    for key, figures in results.items():
        print(f"  {key} runs: {figures['walls_s']} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "inputs",
        type=Path,
        nargs="+",
        help="files or folders from generate_audit.py (or any auditd / CloudTrail logs)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per measurement")
    parser.add_argument(
        "--profile",
        choices=("parse", "ingest"),
        default=None,
        help="cProfile one parse or one workers=1 ingest instead",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(machine())
    for path in args.inputs:
        if args.profile:
            db = str(OUT / f"{path.name}.profile.duckdb")
            figures = isolated(profile, str(path), args.profile, db)
            Path(db).unlink(missing_ok=True)
            print(
                f"\n{path}: {args.profile} {float(figures['wall_s']):.2f} s under cProfile, "
                f"peak RSS {float(figures['peak_rss_mib']):.0f} MiB\n{figures['profile']}"
            )
            continue
        results = run(path, args.repeat)
        target = OUT / f"{path.name}.sources.json"
        target.write_text(json.dumps({"machine": machine(), **results}, indent=2) + "\n")
        print(f"  figures written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ingest throughput over many small files: a folder of tiny lockfiles and freeze files.

    python benchmarks/bench_many_files.py --files 10000           # files/s, peak RSS
    python benchmarks/bench_many_files.py --files 2000 --profile  # where the time goes

Half the files are ``pip freeze`` outputs, half ``requirements.txt`` pins, 3-6 lines each,
every one different (so none is "unchanged" or shared). The store is fresh each run.
The target is 300 files/s or more on 2 cores.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import time
from pathlib import Path

WORKERS: int | None = None
OUT = Path(__file__).resolve().parent / "out"


def generate(folder: Path, count: int) -> None:
    """``count`` small, distinct lockfiles under ``folder`` (100 per subfolder)."""
    shutil.rmtree(folder, ignore_errors=True)
    for index in range(count):
        sub = folder / f"host-{index // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        pins = [f"pkg-{(index * 7 + k) % 997}=={k}.{index % 50}.0" for k in range(3 + index % 4)]
        name = "pip-freeze.txt" if index % 2 else "requirements.txt"
        (sub / f"{index:05d}-{name}").write_text("\n".join(pins) + "\n")


def ingest(folder: Path, db: Path) -> tuple[int, float]:
    """Ingest ``folder`` into a fresh store at ``db``: (files, seconds)."""
    from scoper import api
    from scoper.settings import Settings

    db.unlink(missing_ok=True)
    began = time.perf_counter()
    summary = api.ingest([folder], settings=Settings(db=str(db), workers=WORKERS))
    seconds = time.perf_counter() - began
    failed = summary.failed
    if failed:
        raise RuntimeError(f"{len(failed)} files failed, e.g. {failed[0].error}")
    return len(summary.results), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest")
    args = parser.parse_args()
    folder, db = OUT / f"many-{args.files}", OUT / f"many-{args.files}.duckdb"
    generate(folder, args.files)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(ingest, folder, db)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return
    files, seconds = ingest(folder, db)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = files / seconds
    print(f"{files} files in {seconds:.1f} s: {rate:.0f} files/s, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()

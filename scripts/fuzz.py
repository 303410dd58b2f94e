"""Long fuzz run over every registered reader: seeded-random mutations of the test seeds.

    python scripts/fuzz.py --inputs 1000000 [--reader NAME ...] [--seed N] [--out DIR]

Inputs are spread evenly across readers (one in ten starts from another reader's
seed). Input ``i`` of seed ``N`` is rebuilt from ``random.Random(f"{N}:{i}")``, so
``--seed N --start i --inputs 1`` replays it. Each distinct failure (by the last
scoper frame of its traceback) is saved under ``--out`` with the reproducer; the
exit code is 1 when anything failed. Progress and per-reader counts go to stdout.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

from fuzz_readers import (
    SLOW_SECONDS,
    Checker,
    Seed,
    build_input,
    is_bulk,
    reader,
    reader_names,
    seeds,
    timed_check,
)

FOREIGN_SEED_SHARE = 0.1
BULK_SHARE = 10  # a bulk reader (a DuckDB load, ~50 ms) gets one input per ten of the others


def _cycle(names: list[str]) -> list[str]:
    """The order readers take inputs in: every reader each round, bulk ones every tenth."""
    bulk = [n for n in names if is_bulk(n)]
    files = [n for n in names if n not in bulk]
    if not files:
        return bulk
    return [n for r in range(BULK_SHARE) for n in files + (bulk if r == 0 else [])]


def _signature(failure: str) -> str:
    """What makes two failures the same bug: exception type and last scoper frame."""
    lines = failure.strip().splitlines()
    frames = [x.strip() for x in lines if x.strip().startswith("File ") and "scoper" in x]
    return (frames[-1] if frames else "") + " | " + (lines[-1][:120] if lines else "")


def _save(out: Path, name: str, index: int, path: Path, failure: str) -> Path:
    folder = out / name.replace("/", "_") / str(index)
    folder.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.copytree(path, folder / path.name, symlinks=True, dirs_exist_ok=True)
    elif path.exists():
        shutil.copy2(path, folder / path.name)
    (folder / "failure.txt").write_text(failure, encoding="utf-8")
    return folder


def _scratch() -> str | None:
    """A RAM-backed folder when there is one: each input is written and read back."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() else None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _pick_seed(rng: random.Random, name: str, every: dict[bool, list[Seed]]) -> Seed | None:
    own = seeds(name)
    foreign = every[reader(name).directory]
    if own and rng.random() >= FOREIGN_SEED_SHARE:
        return rng.choice(own)
    return rng.choice(foreign) if foreign else None


def run(args: argparse.Namespace) -> int:
    """The fuzz loop; returns the process exit code."""
    cycle = _cycle(args.reader or reader_names())
    pool = sorted({s for n in reader_names() for s in seeds(n)}, key=lambda s: str(s.path))
    every = {kind: [s for s in pool if s.path.is_dir() == kind] for kind in (False, True)}
    counts: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    slow: Counter[str] = Counter()
    known: dict[str, Path] = {}
    checker = Checker()
    started = last = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="scoper-fuzz-", dir=_scratch()) as base:
        for index in range(args.start, args.start + args.inputs):
            name = cycle[index % len(cycle)]
            rng = random.Random(f"{args.seed}:{index}")
            seed = _pick_seed(rng, name, every)
            if seed is None:
                continue
            path = build_input(rng, seed, Path(base))
            failure, seconds = timed_check(checker, reader(name), path)
            counts[name] += 1
            if failure is None and seconds > SLOW_SECONDS:
                slow[name] += 1
                saved = _save(args.out / "slow", name, index, path, f"{seconds:.1f} CPU s")
                print(f"SLOW {name} input {index}: {seconds:.1f} CPU s, saved {saved}", flush=True)
            if failure is not None:
                failed[name] += 1
                signature = f"{name}: {_signature(failure)}"
                if signature not in known:
                    known[signature] = _save(args.out, name, index, path, failure)
                    print(f"FAIL {name} input {index} (seed {seed.path.name}): {signature}")
                    print(f"  saved {known[signature]}", flush=True)
            _remove(path)
            if time.monotonic() - last > args.progress:
                last = time.monotonic()
                done = sum(counts.values())
                rate = done / (last - started)
                print(f"{done} inputs, {rate:.0f}/s, {sum(failed.values())} failed", flush=True)
    _summary(counts, failed, slow, len(known), time.monotonic() - started)
    return 1 if failed else 0


def _summary(
    counts: Counter[str], failed: Counter[str], slow: Counter[str], distinct: int, seconds: float
) -> None:
    print(f"\n{sum(counts.values())} inputs in {seconds:.0f} s; {distinct} distinct failures")
    for name in sorted(counts, key=lambda n: reader_names().index(n)):
        print(f"  {name:20} {counts[name]:>9} inputs  {failed[name]:>6} failed  {slow[name]} slow")


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs in total")
    parser.add_argument("--reader", action="append", help="only this reader (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="run seed")
    parser.add_argument("--start", type=int, default=0, help="first input index (to replay)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="reproducers")
    parser.add_argument("--progress", type=float, default=60.0, help="seconds between reports")
    args = parser.parse_args()
    unknown = set(args.reader or ()) - set(reader_names())
    if unknown:
        parser.error(f"unknown reader(s): {', '.join(sorted(unknown))}")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

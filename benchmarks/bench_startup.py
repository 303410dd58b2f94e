"""Start-up costs: ``scoper --help`` and ``scoper check`` of a hashed requirements.txt.

    python benchmarks/bench_startup.py --packages 300 --rounds 7

Each command runs as a fresh process, interleaved with two references in the same round
(``python -c pass`` and ``python -c "import duckdb"``); medians of the rounds are printed,
and each command's ratio to ``import duckdb`` (DuckDB's own start, which scoper cannot go
below while it imports DuckDB for --help).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def lock(folder: Path, packages: int) -> Path:
    """A pip-compile style requirements.txt: ``name==version`` and two ``--hash`` per line."""
    lines = []
    for i in range(packages):
        one, two = (hashlib.sha256(f"{i}-{k}".encode()).hexdigest() for k in (1, 2))
        lines.append(
            f"package-{i}==1.{i % 40}.0 \\\n    --hash=sha256:{one} \\\n    --hash=sha256:{two}"
        )
    path = folder / "requirements.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def timed(argv: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    scoper = [py, "-m", "scoper"]
    with tempfile.TemporaryDirectory() as folder:
        path = lock(Path(folder), args.packages)
        commands = {
            "python -c pass": [py, "-c", "pass"],
            "python -c 'import duckdb'": [py, "-c", "import duckdb"],
            "scoper --help": [*scoper, "--help"],
            f"scoper check ({args.packages} hashed)": [*scoper, "check", str(path)],
        }
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                runs[name].append(timed(argv))
    duckdb = statistics.median(runs["python -c 'import duckdb'"])
    for name, walls in runs.items():
        median = statistics.median(walls)
        print(
            f"{name:<34}{median:7.3f} s  {median / duckdb:5.2f}x import duckdb  "
            f"(runs {' '.join(f'{w:.2f}' for w in walls)})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

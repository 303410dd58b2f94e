"""Write a synthetic fleet's scoper audit events (JSON Lines, optionally gzipped).

    python benchmarks/generate.py --events 1000000 --seed 1 -o benchmarks/out/events-1m.jsonl

Sessions run in parallel "slots" (concurrent agents, CI jobs, pods) over ``--days``
from ``--start``; their events are merged in time order, so the file reads like a
platform's own log. Memory stays constant: only each slot's next event is held.
"""

from __future__ import annotations

import argparse
import gzip
import heapq
import json
import random
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from fleet import WINDOW_END, WINDOW_START, Fleet, Timed

SESSIONS_PER_SLOT = 200
CLOUD_SHARE = 0.03  # share of events that are credential_use lines


def slot(fleet: Fleet, start: float, pause: float) -> Iterator[Timed]:
    """Sessions one after another, as one runner or agent seat would run them."""
    begin = last = start
    while True:
        for last, event in fleet.session(begin):
            yield last, event
        begin = last + fleet.rng.expovariate(1 / pause)


def merged(streams: list[Iterator[Timed]], limit: int) -> Iterator[dict[str, object]]:
    """The first ``limit`` events of all streams, in time order (ties by stream order)."""
    heap: list[tuple[float, int, dict[str, object], Iterator[Timed]]] = []
    for index, stream in enumerate(streams):
        ts, event = next(stream)
        heap.append((ts, index, event, stream))
    heapq.heapify(heap)
    for _ in range(limit):
        if not heap:
            return
        ts, index, event, stream = heap[0]
        yield event
        following = next(stream, None)
        if following is None:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (following[0], index, following[1], stream))


def fleet_events(args: argparse.Namespace) -> Iterator[dict[str, object]]:
    """All events of the fleet the arguments describe."""
    rng = random.Random(args.seed)
    sessions = args.sessions or max(1, args.events // 40)
    slots = max(1, sessions // SESSIONS_PER_SLOT)
    span = args.days * 86400.0
    per_slot = span / (sessions / slots)
    fleet = Fleet(rng, args.hosts, max(8, args.events // sessions), per_slot * 0.9)
    start = args.start.timestamp()
    streams = [slot(fleet, start + rng.uniform(0, per_slot), per_slot * 0.1) for _ in range(slots)]
    streams.append(fleet.cloud_uses(start, span / max(1.0, args.events * CLOUD_SHARE)))
    bad = args.bad if args.bad is not None else max(3, sessions // 500)
    for i in range(bad):  # bad installs spread over the first 80% of the window
        at = WINDOW_START + (i + 0.5) / bad * (WINDOW_END - WINDOW_START) * 0.8
        streams.append(fleet.session(at, bad=True))
    return merged(streams, args.events)


def stamp(ts: float) -> str:
    """RFC 3339 UTC with milliseconds."""
    whole = int(ts)
    millis = int((ts - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"


def open_output(path: Path) -> AbstractContextManager[TextIO]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=6)
    return path.open("w", encoding="utf-8")


def write(events: Iterator[dict[str, object]], out: TextIO) -> int:
    """Write events as JSON Lines in batches; returns the number written."""
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    batch: list[str] = []
    count = 0
    for event in events:
        event["ts"] = stamp(float(event["ts"]))  # type: ignore[arg-type]
        batch.append(dumps(event))
        if len(batch) == 8192:
            out.write("\n".join(batch) + "\n")
            count += len(batch)
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    return count + len(batch)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events to write")
    parser.add_argument("--hosts", type=int, default=300, help="hosts in the fleet")
    parser.add_argument("--sessions", type=int, default=0, help="about this many (default N/40)")
    parser.add_argument(
        "--bad",
        type=int,
        default=None,
        help="sessions installing litellm 1.82.7/1.82.8 (default S/500, >= 3)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start",
        type=datetime.fromisoformat,
        default=datetime(2026, 3, 20, tzinfo=UTC),
        help="RFC 3339 start time",
    )
    parser.add_argument("--days", type=float, default=8.0, help="time span of the fleet's log")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="file to write (.gz compresses); default benchmarks/out/...",
    )
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = Path(__file__).parent / "out" / f"events-{args.events}-s{args.seed}.jsonl"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    with open_output(args.output) as out:
        count = write(fleet_events(args), out)
    size = args.output.stat().st_size
    print(
        f"{args.output}: {count} events, {size / 1e6:.1f} MB in "
        f"{time.perf_counter() - began:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

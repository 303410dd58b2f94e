"""Per-event overhead of recording a trail (``scoper record``), in milliseconds.

Interleaved rounds, medians (the machine is shared). Per event, each round times:

1. *plain append*: ``json.dumps`` + write + flush to an open file, what a naive logger does;
2. *scoper record, in process*: :meth:`Recorder.emit` with one event per call, as a wrapper
   or a long-lived platform calls it: redaction and fingerprinting (ingest's policy), the
   lock, reading the file's last hash, sealing the line (sha256, HMAC when ``--sign``),
   append;
3. *DuckDB read_ndjson*: DuckDB reading the trail that round wrote, per line: the
   reference the house measures against;
4. (``--hooks``) *hook process*: ``python -m scoper.record hook claude-code`` (what the
   installed hooks run) with one PreToolUse payload, the real cost of one Claude Code hook
   call (interpreter start-up and imports dominate).

Usage: ``python benchmarks/bench_record.py [--events 500] [--rounds 7] [--sign] [--hooks 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from scoper.record.recorder import Recorder
from scoper.record.trail import Trail

TOKEN = "ghp_" + "A1b2C3d4E5" * 3 + "x1y2z3"
PAYLOAD = {
    "session_id": "5f0c2a9e-7d41-4c1b-9a3e-2b8f6d1c0e77",
    "transcript_path": "/tmp/t.jsonl",
    "cwd": "/tmp",
    "hook_event_name": "PreToolUse",
    "tool_name": "Bash",
    "tool_input": {"command": "pip install litellm==1.82.8"},
    "tool_use_id": "toolu_01",
}


def sample(n: int) -> list[dict[str, Any]]:
    """A mix of what a session records: execs with secrets in them, installs, credentials."""
    events: list[dict[str, Any]] = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            command = f"curl -H 'Authorization: token {TOKEN}' https://api.example/{i}"
            events.append({"event": "exec", "program": "curl", "command": command})
        elif kind == 1:
            events.append({"event": "install", "package": f"pkg{i}", "version": "1.0"})
        elif kind == 2:
            events.append({"event": "credential", "name": "GITHUB_TOKEN", "value": TOKEN})
        else:
            events.append({"event": "exec", "program": "python3", "command": f"python3 x{i}.py"})
    return events


def plain(path: Path, events: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    with path.open("a", encoding="utf-8") as handle:
        for event in events:
            handle.write(json.dumps(event) + "\n")
            handle.flush()
    return time.perf_counter() - start


def recorded(path: Path, events: list[dict[str, Any]], key: bytes | None) -> float:
    rec = Recorder(Trail(str(path), "bench", sign_key=key), b"bench-key", "s1", "bench")
    start = time.perf_counter()
    for event in events:
        rec.emit([event])
    return time.perf_counter() - start


def duck(path: Path) -> float:
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_ndjson(?)", [str(path)])
    took = time.perf_counter() - start
    con.close()
    return took


def hook_process(folder: Path, runs: int) -> list[float]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder / "cfg")}
    command = [sys.executable, "-m", "scoper.record", "--trail", str(folder / "hooks.jsonl")]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*command, "hook", "claude-code"], input=json.dumps(PAYLOAD), text=True,
                       env=env, check=True)  # fmt: skip
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sign", action="store_true", help="HMAC-sign the trail lines")
    parser.add_argument("--hooks", type=int, default=0, help="also time N hook processes")
    args = parser.parse_args()
    events = sample(args.events)
    key = b"bench-sign-key" if args.sign else None
    rows: dict[str, list[float]] = {"plain": [], "record": [], "duckdb": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in range(args.rounds):
            trail = folder / f"trail-{n}.jsonl"
            rows["plain"].append(plain(folder / f"plain-{n}.jsonl", events))
            rows["record"].append(recorded(trail, events, key))
            rows["duckdb"].append(duck(trail))
        hooks = hook_process(folder, args.hooks) if args.hooks else []
    per = {name: statistics.median(v) * 1000 / args.events for name, v in rows.items()}
    print(f"{args.events} events x {args.rounds} rounds, medians, ms per event:")
    for name, label in (("plain", "plain append"), ("record", "scoper record (in process)"),
                        ("duckdb", "DuckDB read_ndjson")):  # fmt: skip
        print(f"  {label:28} {per[name]:8.4f} ms")
    print(f"  record / DuckDB read: {per['record'] / per['duckdb']:.1f}x; "
          f"record / plain append: {per['record'] / per['plain']:.1f}x")  # fmt: skip
    if hooks:
        print(f"  hook process (median of {len(hooks)}): {statistics.median(hooks) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

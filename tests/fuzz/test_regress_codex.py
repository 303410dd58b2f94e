"""A Codex function-call output nested ~900 levels deep: parsed, no RecursionError."""

from __future__ import annotations

import json
from pathlib import Path

from scoper.sources.audit.codex import SOURCE as CODEX
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[1] / "data" / "codex"


def test_deeply_nested_call_output(tmp_path: Path) -> None:
    """codex.py:_output_text recursed two frames per level (fuzz find, seed 1)."""
    seed = next(DATA.glob("rollout-*.jsonl"))
    lines = seed.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if '"function_call_output"' in line)
    event = json.loads(lines[index])
    event["payload"]["output"] = "[" * 900 + "]" * 900
    event["payload"]["output"] = json.loads(event["payload"]["output"])
    lines[index] = json.dumps(event)
    path = tmp_path / seed.name
    path.write_text("\n".join(lines) + "\n")
    assert CODEX.parse(path, ParseContext(seed.name)).events

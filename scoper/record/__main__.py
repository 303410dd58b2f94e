"""``python -m scoper.record [--trail T] [--session S] [--sign-key K] hook AGENT``.

The entry point agent hooks run: it imports the recorder only (not the command line, the
store or the scope), so each hook call costs about a third of ``scoper record hook``.
"""

from __future__ import annotations

import argparse
import sys

from scoper.record import api
from scoper.record.trail import DEFAULT_MAX_BYTES


def main(argv: list[str] | None = None) -> int:
    """Record one hook call from stdin; always 0 (a hook never blocks the agent)."""
    parser = argparse.ArgumentParser(prog="python -m scoper.record")
    parser.add_argument("--trail")
    parser.add_argument("--session")
    parser.add_argument("--sign-key")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    parser.add_argument("verb", choices=["hook"])
    parser.add_argument("agent")
    args = parser.parse_args(argv)
    rec = api.recorder(args.trail, args.session, args.sign_key, args.max_bytes)
    api.hook(args.agent, sys.stdin, rec)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

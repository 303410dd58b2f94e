"""A stand-in for the pip-audit command line: replays a recorded run.

FAKE_STDOUT / FAKE_STDERR name files to print, FAKE_RC is the exit code, and the argv and
the requirements file it was given are written as JSON to FAKE_LOG.
"""

import json
import os
import sys
from pathlib import Path

argv = sys.argv[1:]
given = argv[argv.index("-r") + 1] if "-r" in argv else None
log = {"argv": argv, "requirements": Path(given).read_text() if given else None}
Path(os.environ["FAKE_LOG"]).write_text(json.dumps(log))
for key, stream in (("FAKE_STDOUT", sys.stdout), ("FAKE_STDERR", sys.stderr)):
    if os.environ.get(key):
        stream.write(Path(os.environ[key]).read_text())
sys.exit(int(os.environ.get("FAKE_RC", "0")))

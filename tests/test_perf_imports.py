"""`scoper --help` stays cheap: the command line imports no HTTP or Arrow stack until used."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_cli_imports_neither_requests_nor_pyarrow() -> None:
    code = (
        "import sys, scoper.cli; "
        "print(sorted(m for m in ('requests', 'pyarrow', 'cachecontrol', 'urllib3') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout

"""Where a report goes: stdout, or a file named by ``-o/--output`` (written whole)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from scoper.errors import InputError
from scoper.report.base import Renderer, RenderOptions, Result


def emit(renderer: Renderer, result: Result, output: Path | None, options: RenderOptions) -> None:
    """Render ``result`` to ``output`` as UTF-8 (nothing half-written on a render error),
    else to stdout; an unwritable file is an :class:`InputError` (exit 3)."""
    emit_with(lambda out: renderer.render(result, out, options), output)


def emit_with(write: Callable[[TextIO], None], output: Path | None) -> None:
    """Run ``write`` on stdout, or on a buffer then written whole to ``output``."""
    if output is None:
        write(sys.stdout)
        return
    buffer = io.StringIO()
    write(buffer)
    try:
        output.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as exc:
        raise InputError(str(output), f"cannot write: {exc.strerror or exc}") from exc

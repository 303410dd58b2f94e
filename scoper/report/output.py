"""Where a report goes: stdout, or a file named by ``-o/--output`` (written whole)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from scoper.errors import InputError
from scoper.report.base import Renderer, RenderOptions, Result


def emit(renderer: Renderer, result: Result, output: Path | None, options: RenderOptions) -> None:
    """Render ``result`` to ``output`` as UTF-8 (nothing half-written on a render error),
    else to stdout; an unwritable file is an :class:`InputError` (exit 3)."""
    if output is None:
        renderer.render(result, sys.stdout, options)
        return
    buffer = io.StringIO()
    renderer.render(result, buffer, options)
    try:
        output.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as exc:
        raise InputError(str(output), f"cannot write: {exc.strerror or exc}") from exc

"""JSON: the DESIGN §7 contract for scope, the findings object for check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

import orjson

from scoper.report.base import Entity, RenderOptions, Result, Subject
from scoper.report.serialize import check_dict, scope_dict
from scoper.scope.result import ScopeResult

_PIECE = 1 << 20


@dataclass(frozen=True, slots=True)
class JsonRenderer:
    """One indented JSON object (default when stdout is not a terminal)."""

    name: str = "json"
    suffix: str = ".json"
    media_type: str = "application/json"
    subjects: frozenset[Subject] = frozenset({Subject.SCOPE, Subject.CHECK})
    summary: str = "one JSON object (the documented contract)"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        if isinstance(result, ScopeResult):
            listed = options.cleared or options.entity is Entity.CLEARED
            data = scope_dict(result, list_cleared=listed)
            if options.entity is not None:  # --entity: the advisory and that list only
                data = {"advisory": data["advisory"], options.entity.value: data[options.entity]}
        else:
            data = check_dict(result, options.fail_on)
        write_json(data, out)


def write_json(data: object, out: TextIO) -> None:
    """``data`` as indented JSON and a newline, encoded by orjson (C; the stdlib encoder's
    pure-Python indenting cost seconds on a fleet's report), written in pieces."""
    try:
        encoded = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:  # e.g. a lone surrogate: the stdlib escapes it
        encoded = (json.dumps(data, indent=2) + "\n").encode("utf-8")
    buffer = getattr(out, "buffer", None)
    if buffer is not None:  # a real stream: the bytes as they are
        out.flush()
        buffer.write(encoded)
        buffer.flush()
        return
    text = encoded.decode("utf-8")
    for start in range(0, len(text), _PIECE):
        out.write(text[start : start + _PIECE])

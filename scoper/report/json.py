"""JSON: the DESIGN §7 contract for scope, the findings object for check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from scoper.report.base import RenderOptions, Result, Subject
from scoper.report.serialize import check_dict, scope_dict
from scoper.scope.result import ScopeResult


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
            data = scope_dict(result)
            if options.entity is not None:  # --entity: the advisory and that list only
                data = {"advisory": data["advisory"], options.entity.value: data[options.entity]}
        else:
            data = check_dict(result, options.fail_on)
        out.write(json.dumps(data, indent=2) + "\n")

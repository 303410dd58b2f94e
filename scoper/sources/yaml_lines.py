"""YAML documents with the line where each mapping starts (conda-lock, pixi.lock, SPDX YAML)."""

from __future__ import annotations

from typing import Any

import yaml

from scoper.errors import InputError

try:
    from yaml import CBaseLoader as _BaseLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import BaseLoader as _BaseLoader  # type: ignore[assignment]


class _LineLoader(_BaseLoader):
    """A YAML loader (strings only, no tags) that remembers where each mapping starts."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, int] = {}

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep)
        self.lines[id(mapping)] = node.start_mark.line + 1
        return mapping


def load_yaml(text: str, display: str) -> tuple[Any, dict[int, int]]:
    """The document and ``{id(mapping): 1-based line}``; InputError naming the place."""
    loader = _LineLoader(text)
    try:
        return loader.get_single_data(), loader.lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}" if mark else None
        raise InputError(display, f"invalid YAML: {exc.problem or exc}", place) from exc
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError(display, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()

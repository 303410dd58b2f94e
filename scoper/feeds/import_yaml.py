"""Import shape: PYSEC YAML (pypa/advisory-database ``vulns/<pkg>/PYSEC-*.yaml``).

The YAML is OSV in another syntax. It is read with PyYAML's safe loader, with
timestamps kept as strings (OSV times are RFC 3339 text, and an unquoted
``2021-02-09T21:15:00Z`` must not turn into a naive datetime) and errors naming
the line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scoper.feeds.fields import advisory_error
from scoper.feeds.import_base import Member
from scoper.feeds.import_json import file_member
from scoper.limits import Limits

YAML_SUFFIXES = (".yaml", ".yml")


class _TextTimes(yaml.SafeLoader):
    """The safe loader without the timestamp resolver: times stay text."""


_TextTimes.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class YamlFile:
    """A single ``.yaml`` / ``.yml`` record."""

    name: str = "yaml"

    def claims(self, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in YAML_SUFFIXES

    def members(self, path: Path, limits: Limits) -> Iterator[Member]:
        yield file_member(path, limits)


def decode_yaml(raw: bytes, file: str) -> Any:
    """Parse one YAML document; errors name the line and column."""
    try:
        return yaml.load(raw.decode("utf-8-sig"), Loader=_TextTimes)  # a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise advisory_error(file, f"byte {exc.start}", "not valid UTF-8") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise advisory_error(file, place, f"invalid YAML: {exc.problem}") from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise advisory_error(file, "", f"invalid YAML: {exc}") from exc

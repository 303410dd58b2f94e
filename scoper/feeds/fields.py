"""Typed access to parsed advisory JSON that knows the place of every value.

Each :class:`Node` carries the file and a JSONPath-like place
(``affected[0].versions[1]``) so validation errors read
``litellm-2025.json: affected[0].versions[1]: not a string``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scoper.errors import AdvisoryError
from scoper.times import parse_time

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def advisory_error(file: str, place: str, message: str) -> AdvisoryError:
    """An AdvisoryError rendered ``file: place: message`` (place may be empty)."""
    parts = [file, place, message] if place else [file, message]
    return AdvisoryError(": ".join(parts))


@dataclass(frozen=True, slots=True)
class Node:
    """A JSON value with the file and place it came from."""

    file: str
    place: str
    value: Any

    def error(self, message: str) -> AdvisoryError:
        """An error pointing at this value."""
        return advisory_error(self.file, self.place, message)

    def child(self, key: str | int, value: Any) -> Node:
        """The node of ``value`` found under ``key`` of this node."""
        if isinstance(key, int):
            place = f"{self.place}[{key}]"
        elif _IDENTIFIER.match(key):
            place = f"{self.place}.{key}" if self.place else key
        else:
            place = f"{self.place}[{json.dumps(key)}]"
        return Node(self.file, place, value)

    def mapping(self) -> dict[str, Any]:
        """The value as a JSON object."""
        if not isinstance(self.value, dict):
            raise self.error("not an object")
        return self.value

    def get(self, key: str) -> Node | None:
        """The member ``key``; None when absent or null."""
        value = self.mapping().get(key)
        return None if value is None else self.child(key, value)

    def need(self, key: str) -> Node:
        """The member ``key``; an error naming it when absent or null."""
        found = self.get(key)
        if found is None:
            raise self.error(f"missing '{key}'")
        return found

    def entries(self) -> list[tuple[str, Node]]:
        """The members of an object, in file order."""
        return [(key, self.child(key, value)) for key, value in self.mapping().items()]

    def items(self) -> list[Node]:
        """The elements of an array."""
        if not isinstance(self.value, list):
            raise self.error("not a list")
        return [self.child(index, value) for index, value in enumerate(self.value)]

    def text(self) -> str:
        """The value as a string."""
        if not isinstance(self.value, str):
            raise self.error("not a string")
        return self.value

    def flag(self) -> bool:
        """The value as a boolean."""
        if not isinstance(self.value, bool):
            raise self.error("not true or false")
        return self.value

    def time(self) -> datetime:
        """The value as an RFC 3339 timestamp with a zone, in UTC."""
        parsed = parse_time(self.text(), assume_utc=False)
        if parsed is None:
            raise self.error(f"not an RFC 3339 time with a zone: {self.value!r}")
        return parsed

    def texts(self) -> tuple[str, ...]:
        """The value as a list of strings."""
        return tuple(item.text() for item in self.items())

    def opt_text(self, key: str) -> str | None:
        """Member ``key`` as a string, or None."""
        found = self.get(key)
        return None if found is None else found.text()

    def opt_time(self, key: str) -> datetime | None:
        """Member ``key`` as a UTC time, or None."""
        found = self.get(key)
        return None if found is None else found.time()

    def opt_texts(self, key: str) -> tuple[str, ...]:
        """Member ``key`` as a list of strings; empty when absent."""
        found = self.get(key)
        return () if found is None else found.texts()

    def only_keys(self, allowed: Iterable[str]) -> None:
        """Reject members outside ``allowed`` (typos in hand-written data)."""
        known = set(allowed)
        for key in self.mapping():
            if key not in known:
                expected = ", ".join(sorted(known))
                raise self.error(f"unknown field '{key}' (expected one of: {expected})")

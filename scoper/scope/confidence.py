"""Confidence, defined once: ranks for SQL and comparisons, names for the JSON contract."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, cast

ConfidenceName = Literal["confirmed", "likely", "possible"]


class Confidence(IntEnum):
    """How sure a finding is (DESIGN §6); a higher rank is stronger."""

    POSSIBLE = 1  # overlap without proof
    LIKELY = 2  # time-window inference
    CONFIRMED = 3  # direct evidence

    @property
    def label(self) -> ConfidenceName:
        """The name the output contract uses (``"confirmed"``, ``"likely"``, ``"possible"``)."""
        return cast(ConfidenceName, self.name.lower())

    @classmethod
    def named(cls, label: str) -> Confidence:
        """The confidence called ``label``; ValueError for any other name."""
        try:
            return cls[label.upper()]
        except KeyError:
            raise ValueError(f"unknown confidence {label!r}") from None


NAMES: tuple[ConfidenceName, ...] = tuple(c.label for c in sorted(Confidence, reverse=True))


def sql_params() -> dict[str, int]:
    """The ranks as SQL parameters: ``$confirmed``, ``$likely``, ``$possible``."""
    return {c.label: int(c) for c in Confidence}

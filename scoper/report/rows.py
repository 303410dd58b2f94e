"""Query rows as CSV for ``scoper sql``."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import Any, TextIO


def write_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    """A header line and one CSV line per row."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)

"""Time stamps: the one parser every source and feed uses, and the one way times are written."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_time(value: object, *, assume_utc: bool = True) -> datetime | None:
    """An ISO 8601 / RFC 3339 string as an aware UTC datetime; None when it is not one.

    ``Z``/``z`` and offsets are honoured and fractions past microseconds cut. A time
    without an offset is taken as UTC, or refused when ``assume_utc`` is false.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text[-1] in "zZ":
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        if not assume_utc:
            return None
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def rfc3339(value: datetime | None) -> str | None:
    """UTC time as ``YYYY-MM-DDTHH:MM:SSZ`` (microseconds kept when present)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"

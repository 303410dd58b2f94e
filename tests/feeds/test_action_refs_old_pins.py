"""``refs.old_pins``: SHA pins older than a date pulled another action unpinned (trivy-action)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from scoper.errors import ScoperError
from scoper.feeds.bundled import require
from scoper.feeds.osv import parse_record
from scoper.scope.actions import judge, listed_refs
from scoper.scope.confidence import Confidence

PIN = "2bdc120e5bc80334c0fd79286c2a0c85022207bf"  # a pin the advisory does not list
OLD = {
    "committed_before": "2025-04-09T00:00:00Z",
    "via": "Aquasecurity/Setup-Trivy",
    "start": "2026-03-19T17:43:00Z",
    "end": "2026-03-19T21:44:00Z",
}


def _record(old: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": "1.7.5",
        "id": "TEST-2",
        "modified": "2026-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "GitHub Actions", "name": "aquasecurity/trivy-action"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.35.0"}]}
                ],
                "database_specific": {"scoper": {"refs": {"old_pins": old}}},
            }
        ],
    }


def _at(segments: list[Any], when: datetime) -> tuple[Confidence | None, str]:
    (found,) = [
        (level, why)
        for start, end, level, why in segments
        if (start is None or start <= when) and (end is None or when < end)
    ]
    return found


def test_old_pins_are_parsed_and_a_pin_is_possible_only_in_the_via_window() -> None:
    adv = parse_record(_record(OLD), "t.json")
    [affected] = adv.affected
    assert affected.refs is not None and affected.refs.old_pins is not None
    assert affected.refs.old_pins.via == "aquasecurity/setup-trivy"
    segments = judge(affected, adv.windows, PIN, PIN)
    level, why = _at(segments, datetime(2026, 3, 19, 21, 30, tzinfo=UTC))
    assert level is Confidence.POSSIBLE
    assert "pins to commits before 2025-04-09 pulled aquasecurity/setup-trivy unpinned" in why
    for moment in (datetime(2026, 3, 19, 17, 0, tzinfo=UTC), datetime(2026, 3, 20, tzinfo=UTC)):
        level, why = _at(segments, moment)
        assert level is None and why.startswith("SHA pin to a commit the advisory does not list")


def test_the_bundled_trivy_action_record_carries_the_exception() -> None:
    adv = require("trivy-action-2026")
    [affected] = adv.affected
    assert affected.refs is not None and affected.refs.old_pins is not None
    old = affected.refs.old_pins
    assert (old.committed_before, old.via) == (
        datetime(2025, 4, 9, tzinfo=UTC),
        "aquasecurity/setup-trivy",
    )
    setup = require("setup-trivy-2026").windows[0]
    assert (old.start, old.end) == (setup.start, setup.end)  # setup-trivy's window
    level, _ = _at(judge(affected, adv.windows, PIN, None), datetime(2026, 3, 19, 18, tzinfo=UTC))
    assert level is Confidence.POSSIBLE


def test_a_workflow_sha_pin_is_not_listed_as_bad_today() -> None:
    adv = require("trivy-action-2026")
    rows = listed_refs(
        adv, [("aquasecurity/trivy-action", PIN), ("aquasecurity/trivy-action", "0.34.2")]
    )
    assert [r["version"] for r in rows] == ["0.34.2"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2026-03-19T17:00:00Z"}, "'end' is before 'start'"),
        ({"via": "setup-trivy"}, "owner/repo"),
        ({"committed_before": None}, "missing 'committed_before'"),
        ({"when": "x"}, "when"),
    ],
)
def test_old_pins_mistakes_are_errors(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ScoperError, match=message):
        parse_record(_record({**OLD, **change}), "t.json")

"""Negative evidence: counted per reason by default, listed row by row with --cleared."""

from __future__ import annotations

import io
import json

from scoper.report.base import Entity, RenderOptions, Subject
from scoper.report.registry import require
from scoper.scope.result import ScopeResult


def _render(fmt: str, result: ScopeResult, options: RenderOptions) -> str:
    out = io.StringIO()
    require(fmt, Subject.SCOPE).render(result, out, options)
    return out.getvalue()


def test_json_counts_by_default_and_lists_with_cleared(incident: ScopeResult) -> None:
    assert len(incident.cleared) == 5
    counted = json.loads(_render("json", incident, RenderOptions()))
    assert counted["cleared"] == []
    summary = counted["cleared_summary"]
    assert summary["total"] == 5 and summary["listed"] is False
    assert sum(c["count"] for c in summary["by_reason"]) == 5
    listed = json.loads(_render("json", incident, RenderOptions(cleared=True)))
    assert len(listed["cleared"]) == 5 and listed["cleared_summary"]["listed"] is True
    assert {c["subject"] for c in listed["cleared"]} >= {"auditd:dev-bob:ses:219"}
    only = json.loads(_render("json", incident, RenderOptions(entity=Entity.CLEARED)))
    assert len(only["cleared"]) == 5  # asking for the table is asking for its rows


def test_markdown_and_csv_list_rows_only_on_request(incident: ScopeResult) -> None:
    short = _render("markdown", incident, RenderOptions())
    assert "auditd:dev-bob:ses:219" not in short and "- 2 session: not an affected version" in short
    full = _render("markdown", incident, RenderOptions(cleared=True))
    assert "`auditd:dev-bob:ses:219`: installed litellm 1.82.6" in full
    assert "auditd:dev-bob:ses:219" not in _render("csv", incident, RenderOptions())
    rows = _render("csv", incident, RenderOptions(entity=Entity.CLEARED)).splitlines()
    assert len(rows) == 6 and rows[0].startswith("entity,subject,host")


def test_html_keeps_every_cleared_row(incident: ScopeResult) -> None:
    page = _render("html", incident, RenderOptions())
    assert "auditd:dev-bob:ses:219" in page


def test_json_keeps_non_ascii_and_is_identical_to_the_stdlib_parse(incident: ScopeResult) -> None:
    text = _render("json", incident, RenderOptions(cleared=True))
    assert text.endswith("}\n") and text.count("\n") > 100  # indented, one member per line
    assert json.loads(text)["advisory"]["id"] == incident.advisory.id

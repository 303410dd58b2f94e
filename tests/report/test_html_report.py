"""The HTML incident report: self-contained, escaped, deterministic, golden for the sample."""

from __future__ import annotations

import dataclasses
import io
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.report.base import RenderOptions
from scoper.report.html import HtmlRenderer, render_html
from scoper.report.html_timeline import Span, span_of, ticks
from scoper.scope.result import Evidence, ScopeResult

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "scope-incident.html"


def test_sample_incident_matches_the_golden_page(incident: ScopeResult) -> None:
    out = io.StringIO()
    HtmlRenderer().render(incident, out, RenderOptions())
    text = out.getvalue()
    if os.environ.get("SCOPER_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.write_text(text)
    assert text == GOLDEN.read_text(), "scope-incident.html differs; SCOPER_UPDATE_GOLDEN=1"
    assert text == render_html(incident)  # deterministic


def test_page_is_self_contained(incident: ScopeResult) -> None:
    text = render_html(incident)
    assert "<script" not in text and "@import" not in text
    assert not re.search(r"""(?:src|href)\s*=|url\(|https?://(?!www\.w3\.org/2000/svg)""", text)
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "@media print" in text


def test_every_row_names_its_file_line_and_confidence(incident: ScopeResult) -> None:
    text = render_html(incident)
    for s in incident.sessions:
        row = re.search(rf'<tr data-key="{re.escape(s.session_id)}">(.*?)</tr>', text)
        assert row, s.session_id
        assert f"conf-{s.confidence}" in row.group(1)
        for ev in s.evidence:
            assert f"{ev.file}:{ev.line or ''}" in row.group(1)
    for c in incident.cleared:
        assert f"{c.evidence.file}:{c.evidence.line}" in text
    assert '<span id="count-sessions"><strong>5</strong> sessions</span>' in text
    assert '<span id="count-credentials"><strong>8</strong> credentials</span>' in text


def test_timeline_draws_windows_uses_and_first_exposures(incident: ScopeResult) -> None:
    text = render_html(incident)
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert svg.count('<rect class="window"') == len(incident.advisory.windows) == 1
    uses = sum(len(c.used_after_exposure) for c in incident.credentials)
    assert svg.count('<circle class="use"') == uses == 1
    firsts = sum(c.first_exposed is not None for c in incident.credentials)
    assert svg.count('<polygon class="first-exposed"') == firsts
    assert svg.count('<rect class="session"') == len(incident.sessions)
    assert ">2026-03-24 10:30</text>" in svg and ">14:00</text>" in svg


def test_ticks_are_round_utc_times_inside_the_span(incident: ScopeResult) -> None:
    span = span_of(incident)
    assert isinstance(span, Span)
    marks = ticks(span)
    assert 2 <= len(marks) <= 9
    assert all(span.start <= m <= span.end and m.minute % 30 == 0 for m in marks)
    assert [span.x(m) for m in marks] == sorted(span.x(m) for m in marks)


def test_script_in_an_evidence_fact_is_inert(incident: ScopeResult) -> None:
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    first = incident.sessions[0]
    bad = dataclasses.replace(
        first,
        session_id=f'"><svg onload=alert(3)>{first.session_id}',
        evidence=(Evidence("logs/evil.jsonl", 3, evil), *first.evidence),
    )
    text = render_html(dataclasses.replace(incident, sessions=(bad, *incident.sessions[1:])))
    assert "<script>" not in text and "<img" not in text and "<svg onload" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in text
    assert "&quot;&gt;&lt;svg onload=alert(3)&gt;" in text


def test_output_option_writes_the_file_and_picks_the_format_by_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SCOPER_FINGERPRINT_KEY", "golden-test-key")
    db = str(tmp_path / "s.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", "fixtures/incident", "--db", db]).exit_code == 0
    page = tmp_path / "report.html"
    done = runner.invoke(app, ["scope", "-a", "litellm-2025", "--db", db, "-o", str(page)])
    assert done.exit_code == 1, done.output  # findings
    assert done.stdout == ""
    assert page.read_text() == GOLDEN.read_text()
    as_json = tmp_path / "r.data"
    done = runner.invoke(
        app, ["scope", "-a", "litellm-2025", "--db", db, "--output", str(as_json), "-f", "json"]
    )
    assert done.exit_code == 1 and as_json.read_text().startswith("{")
    missing = tmp_path / "no" / "such" / "dir" / "r.html"
    done = runner.invoke(app, ["scope", "-a", "litellm-2025", "--db", db, "-o", str(missing)])
    assert done.exit_code == 3 and "cannot write" in done.output


def test_a_large_incident_caps_the_timeline_lanes_but_lists_every_row(
    incident: ScopeResult,
) -> None:
    first = incident.sessions[0]
    many = tuple(dataclasses.replace(first, session_id=f"s-{n:03}") for n in range(120))
    text = render_html(dataclasses.replace(incident, sessions=many))
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert svg.count('<rect class="session"') == 40
    assert "... 80 more sessions" in svg
    assert all(f'<tr data-key="s-{n:03}">' in text for n in range(120))

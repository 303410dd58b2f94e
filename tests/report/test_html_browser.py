"""The HTML report in a real browser: headless Chromium renders it, screenshots it, and
the rendered DOM holds the rows and timeline bars; the console stays silent.

Skips when ``chromium`` is absent, unless ``CI`` is set (``.ci/run`` installs it): then fails.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scoper.report.html import render_html
from scoper.scope.result import Evidence, ScopeResult

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
WINDOW = (1200, 1800)
CONSOLE = re.compile(r":CONSOLE[:(]\d+\)?\] (.*)")


def _browser() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed but CI is set: .ci/run must install it")
    pytest.skip("chromium not installed (apt-get install chromium); CI unset, so skipping")


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless on ``page`` with console messages logged to stderr."""
    profile = page.parent / f"profile-{page.stem}"
    command = [
        _browser(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def console_messages(stderr: str) -> list[str]:
    """What the page wrote to the browser console (errors, CSP refusals, logs)."""
    return CONSOLE.findall(stderr)


class _Dom(HTMLParser):
    """Row keys per section, and the classes of SVG shapes, from the rendered DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.rows: dict[str, list[str]] = {}
        self.shapes: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "section":
            self.section = a.get("id") or ""
        elif tag == "tr" and "data-key" in a:
            self.rows.setdefault(self.section, []).append(a["data-key"] or "")
        elif tag in ("rect", "circle", "polygon") and a.get("class"):
            self.shapes.append(a["class"] or "")


def _dom(text: str) -> _Dom:
    parsed = _Dom()
    parsed.feed(text)
    return parsed


def test_rendered_dom_has_every_row_and_window_bar(incident: ScopeResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(incident), encoding="utf-8")
    done = _run(page, "--dump-dom")
    dom = _dom(done.stdout)
    assert dom.rows["sessions"] == [s.session_id for s in incident.sessions]
    assert sorted(dom.rows["sessions"]) == [
        "7f3a2c1e-5b9d-4e8f-a6c0-1d3b5f7e9a24",
        "auditd:dev-bob:ses:214",
        "github:acme/app/runs/23480118810/attempts/1/jobs/68211470115",
        "github:acme/app/runs/23480118811/attempts/1/jobs/68211474402",
        "k8s:prod/llm-gateway-7d9f6b8c5-x2kqp",
    ]
    assert sorted(dom.rows["hosts"]) == ["ci-runner-3", "dev-alice", "dev-bob", "node-a1"]
    assert len(dom.rows["rotation"]) == len(incident.credentials) == 8
    assert len(dom.rows["cleared"]) == len(incident.cleared)
    assert len(dom.rows["environments"]) == len(incident.environments)
    assert dom.shapes.count("window") == 1 and dom.shapes.count("use") == 1
    assert "svg" in dom.tags and "script" not in dom.tags
    assert console_messages(done.stderr) == []


def test_screenshot_of_the_sample_incident(incident: ScopeResult, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(incident), encoding="utf-8")
    shot = tmp_path / "shot.png"
    done = _run(page, f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == WINDOW
    assert len(data) > 50_000  # a page with text and a picture, not a blank canvas
    assert console_messages(done.stderr) == []
    if os.environ.get("SCOPER_UPDATE_SCREENSHOT") or not SCREENSHOT.exists():
        shutil.copyfile(shot, SCREENSHOT)


def test_script_in_evidence_stays_text_in_the_browser(
    incident: ScopeResult, tmp_path: Path
) -> None:
    evil = "<script>console.error('pwned')</script><img src=x onerror=alert(2)>"
    first = incident.sessions[0]
    bad = dataclasses.replace(first, evidence=(Evidence("logs/evil.jsonl", 3, evil),))
    page = tmp_path / "evil.html"
    page.write_text(render_html(dataclasses.replace(incident, sessions=(bad,))), encoding="utf-8")
    done = _run(page, "--dump-dom")
    dom = _dom(done.stdout)
    assert "script" not in dom.tags and "img" not in dom.tags
    assert "&lt;script&gt;console.error('pwned')&lt;/script&gt;" in done.stdout
    assert console_messages(done.stderr) == []


def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """The control: a page that throws is caught, so a silent console means something."""
    page = tmp_path / "throws.html"
    page.write_text("<!DOCTYPE html><html><body><script>nope()</script></body></html>")
    messages = console_messages(_run(page, "--dump-dom").stderr)
    assert any("Uncaught ReferenceError" in m for m in messages), messages

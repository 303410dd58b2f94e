"""The catalog's real ``published``/``modified`` dates, and what ``--as-of`` makes of them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scoper import Store
from scoper.cli import app
from scoper.feeds.bundled import load_all, require
from scoper.scope.actions import judge
from scoper.scope.confidence import Confidence
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
RECORDS = sorted((ROOT / "advisories").glob("*.json"))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_published_and_modified_are_the_incident_dates_and_cited(path: Path) -> None:
    record = json.loads(path.read_text())
    published = datetime.fromisoformat(record["published"])
    modified = datetime.fromisoformat(record["modified"])
    assert published <= modified < datetime(2026, 11, 1, tzinfo=UTC)  # not the catalog's date
    windows = record["database_specific"]["scoper"]["windows"]
    assert published >= min(datetime.fromisoformat(w["start"]) for w in windows)
    facts = " ".join(s.get("fact", "") for s in record["database_specific"]["scoper"]["sources"])
    for key in ("published", "modified"):
        day = record[key][:10]
        same = record["published"] == record["modified"]
        both = f"published {day}" in facts or f"published and modified {day}" in facts
        assert f"{key} {day}" in facts or (same and both), key


def _settings(tmp_path: Path) -> Settings:
    settings = Settings(db=str(tmp_path / "s.duckdb"), now=datetime(2026, 3, 24, 8, tzinfo=UTC))
    with Store.open(settings) as store:
        assert not store.ingest([ROOT / "fixtures/incident"]).failed
    return settings


def test_as_of_before_litellm_was_published_is_not_yet_known(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    base = ["scope", "-a", "litellm-2025", "--db", settings.db, "--format", "json"]
    runner = CliRunner()
    early = runner.invoke(app, [*base, "--as-of", "2026-03-24T11:00:00Z"])
    assert early.exit_code == 4, early.output
    assert "was not published until 2026-03-24T11:15:14Z: not yet known" in early.stderr
    late = runner.invoke(app, [*base, "--as-of", "2026-03-24T14:00:00Z"])
    assert late.exit_code == 1, late.output
    out = json.loads(late.stdout)
    assert out["summary"]["sessions"] > 0
    assert any("modified on 2026-07-21" in w for w in out["warnings"])  # facts came later


def _uncertain_tails() -> list[tuple[str, str, str, datetime]]:
    """(advisory, ecosystem, package, a moment in the tail) of every uncertain window."""
    found = []
    for adv in load_all():
        for window in adv.windows:
            if window.conservative_end is None:
                continue
            tail = window.end + (window.conservative_end - window.end) / 2
            for affected in adv.affected:
                if affected.versions or affected.facts:  # torchtriton: no version known
                    found.append((adv.id, affected.ecosystem, affected.name, tail))
                    break
    return found


TAILS = _uncertain_tails()


def test_every_uncertain_window_has_a_tail_to_check() -> None:
    ids = {t[0] for t in TAILS}
    assert {"litellm-2025", "chalk-debug-2025", "shai-hulud-2025", "tj-actions-2025"} <= ids


def _event(ts: datetime, event: str, **fields: Any) -> str:
    stamp = ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({"ts": stamp, "event": event, "session": "tail-1", "host": "h", **fields})


@pytest.mark.parametrize("case", TAILS, ids=lambda c: c[0])
def test_an_unpinned_use_in_the_uncertain_tail_is_possible(
    tmp_path: Path, case: tuple[str, str, str, datetime]
) -> None:
    adv_id, ecosystem, name, tail = case
    adv = require(adv_id)
    if ecosystem == "GitHub Actions":  # a job that used a bad tag in the tail
        affected = next(a for a in adv.affected if a.name == name)
        segments = judge(affected, adv.windows, "v45", None)
        (level,) = [c for s, e, c, _ in segments if s and e and s <= tail < e]
        assert level is Confidence.POSSIBLE
        return
    log = tmp_path / "events.jsonl"
    start = _event(tail, "session_start", kind="ci", environment="/w/.venv")
    use = _event(tail, "install", package=name, ecosystem=ecosystem, environment="/w/.venv")
    log.write_text(start + "\n" + use + "\n")
    settings = Settings(db=str(tmp_path / "s.duckdb"), now=datetime(2020, 1, 1, tzinfo=UTC))
    with Store.open(settings) as store:
        assert not store.ingest([log]).failed
        result = store.scope(adv)
    assert [e.confidence for e in result.environments] == ["possible"], result.environments

"""``scope --as-of``: only the advisories published and the evidence ingested and dated by then."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scoper import Store
from scoper.cli import app
from scoper.errors import AdvisoryUnavailableError
from scoper.feeds.bundled import require
from scoper.scope.asof import Known, advisory_at
from scoper.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
INGESTED = datetime(2026, 3, 24, 8, 0, tzinfo=UTC)  # stamped with --now: before the events
PUBLISHED = datetime(2026, 3, 24, 13, 0, tzinfo=UTC)  # after the first exposures


def _store(tmp_path: Path) -> Settings:
    settings = Settings(db=str(tmp_path / "s.duckdb"), now=INGESTED)
    with Store.open(settings) as store:
        assert not store.ingest([ROOT / "fixtures/incident"]).failed
    return settings


def test_an_advisory_published_later_than_the_evidence_changes_the_answer(
    tmp_path: Path,
) -> None:
    settings = _store(tmp_path)
    adv = replace(require("litellm-2025"), published=PUBLISHED)
    with Store.open(settings) as store:
        now = store.scope(adv)
        assert now.has_findings() and now.as_of is None
        before = datetime(2026, 3, 24, 12, 0, tzinfo=UTC)
        with pytest.raises(AdvisoryUnavailableError, match="not published until 2026-03-24T13"):
            store.scope(adv, as_of=before)
        later = datetime(2026, 3, 24, 14, 0, tzinfo=UTC)
        then = store.scope(adv, as_of=later)
    assert then.as_of == later and then.has_findings()
    # events after 14:00 were not yet known: fewer sessions, none first exposed after then
    assert len(then.sessions) < len(now.sessions)
    naive = later.replace(tzinfo=None)  # findings carry naive UTC times
    assert all(s.first_exposed is None or s.first_exposed <= naive for s in then.sessions)
    # the store is unchanged afterwards: the shadowing views are gone
    with Store.open(settings) as store:
        assert len(store.scope(adv).sessions) == len(now.sessions)


def test_evidence_ingested_after_the_moment_is_not_known(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    adv = replace(require("litellm-2025"), published=datetime(2026, 3, 1, tzinfo=UTC))
    missing = pytest.raises(AdvisoryUnavailableError, match="held no ingested data at")
    with Store.open(settings) as store, missing:
        store.scope(adv, as_of=datetime(2026, 3, 24, 7, 0, tzinfo=UTC))


def test_withdrawn_and_modified_as_of_a_moment() -> None:
    adv = replace(
        require("litellm-2025"),
        published=PUBLISHED,
        modified=datetime(2026, 3, 26, tzinfo=UTC),
        withdrawn=datetime(2026, 3, 25, tzinfo=UTC),
    )
    at = advisory_at(adv, datetime(2026, 3, 24, 20, 0, tzinfo=UTC))
    assert at.state is Known.KNOWN and at.advisory.withdrawn is None  # not yet withdrawn
    assert "modified on 2026-03-26" in at.warnings[0]
    gone = advisory_at(adv, datetime(2026, 3, 25, 1, 0, tzinfo=UTC))
    assert gone.state is Known.WITHDRAWN and "withdrawn on 2026-03-25" in (gone.reason or "")
    unknown = advisory_at(replace(adv, published=None), datetime(2026, 3, 24, 20, tzinfo=UTC))
    assert any("no published time" in w for w in unknown.warnings)


def _osv(tmp_path: Path) -> Path:
    """The bundled litellm record as an extra OSV file, published at PUBLISHED (13:00,
    later than the bundled record's 11:15:14, so the moments below fall either side)."""
    data = json.loads((ROOT / "advisories/litellm-2025.json").read_text())
    data.update(id="litellm-as-of", aliases=[], published="2026-03-24T13:00:00Z")
    path = tmp_path / "litellm-as-of.json"
    path.write_text(json.dumps(data))
    return path


def test_cli_as_of_json_member_and_exit_codes(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    runner = CliRunner()
    extra = ["--advisories", str(_osv(tmp_path))]
    base = ["scope", "-a", "litellm-as-of", "--db", settings.db, "--format", "json", *extra]
    full = runner.invoke(app, base)
    assert full.exit_code == 1 and json.loads(full.stdout)["as_of"] is None
    moment = "2026-03-24T14:00:00Z"
    result = runner.invoke(app, [*base, "--as-of", moment])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["as_of"] == moment
    early = runner.invoke(app, [*base, "--as-of", "2026-03-24T12:00:00Z"])
    assert early.exit_code == 4 and "was not published until 2026-03-24T13" in early.stderr
    bad = runner.invoke(app, [*base, "--as-of", "tuesday"])
    assert bad.exit_code == 2 and "--as-of takes an RFC 3339" in bad.stderr

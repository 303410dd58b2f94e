"""The ``refs`` extension of GitHub Actions packages: parsed, and strict about mistakes."""

from __future__ import annotations

from typing import Any

import pytest

from scoper.errors import ScoperError
from scoper.feeds.osv import parse_record
from scoper.scope.actions import judge
from scoper.scope.confidence import Confidence

SHA = "0e58ed8671d6b60d0890c21b07f8835ace038e67"


def _record(ecosystem: str, refs: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema_version": "1.7.5",
        "id": "TEST-1",
        "modified": "2026-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": "Owner/Action"},
                "versions": ["v1"],
                "database_specific": {"scoper": {"refs": refs}},
            }
        ],
        "database_specific": {
            "scoper": {
                "windows": [{"start": "2026-01-02T00:00:00Z", "end": "2026-01-03T00:00:00Z"}]
            }
        },
    }


def test_refs_are_parsed() -> None:
    refs = {
        "bad_commits": {SHA.upper(): {"tags": ["v1"], "note": "n"}},
        "safe": [{"match": "v2*"}, {"match": "v1", "since": "2026-01-04T00:00:00Z"}],
        "note": "what is missing",
    }
    adv = parse_record(_record("GitHub Actions", refs), "t.json")
    [affected] = adv.affected
    assert affected.name == "owner/action" and affected.refs is not None
    assert [(c.sha, c.tags) for c in affected.refs.bad_commits] == [(SHA, ("v1",))]
    assert [(s.match, s.since is not None) for s in affected.refs.safe] == [
        ("v2*", False),
        ("v1", True),
    ]
    levels = [s[2] for s in judge(affected, adv.windows, "v1", None)]
    # before, inside, after the window, then re-published clean
    assert levels == [None, Confidence.CONFIRMED, None, None]
    assert judge(affected, adv.windows, "v2.0", SHA)[0][2] is Confidence.CONFIRMED  # bad commit
    assert judge(affected, adv.windows, "v2.0", None)[0][3].startswith("ref v2.0 is known clean")


@pytest.mark.parametrize(
    ("ecosystem", "refs", "message"),
    [
        ("PyPI", {"note": "x"}, "applies only to ecosystem 'GitHub Actions'"),
        ("GitHub Actions", {"bad_commits": {"0e58ed8": {}}}, "not a full commit SHA"),
        ("GitHub Actions", {"safe": [{"since": "2026-01-01T00:00:00Z"}]}, "match"),
        ("GitHub Actions", {"tags": []}, "tags"),
    ],
)
def test_refs_mistakes_are_errors(ecosystem: str, refs: dict[str, Any], message: str) -> None:
    with pytest.raises(ScoperError, match=message):
        parse_record(_record(ecosystem, refs), "t.json")


def test_a_commit_listed_in_osv_versions_is_a_bad_commit() -> None:
    record = _record("GitHub Actions", {})
    record["affected"][0]["versions"] = [SHA]
    del record["affected"][0]["database_specific"]
    adv = parse_record(record, "t.json")
    [(_, _, level, reason)] = judge(adv.affected[0], adv.windows, SHA.upper(), None)
    assert (level, reason) == (Confidence.CONFIRMED, "ran bad commit 0e58ed8671d6")

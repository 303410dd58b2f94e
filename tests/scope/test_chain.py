"""The exposure chain, case by case, over small scoper-events files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scoper import api

START = {"event": "session_start", "host": "h1", "environment": "/venv"}


def _run(tmp_path: Path, events: list[dict[str, Any]]) -> dict[str, Any]:
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(e) + "\n" for e in events))
    db = str(tmp_path / "s.duckdb")
    summary = api.ingest([log], db=db)
    assert not summary.failed
    result = api.scope("litellm-2025", db=db)
    return {
        "sessions": {s.session_id: s.confidence for s in result.sessions},
        "hosts": {h.host: h.confidence for h in result.hosts},
        "credentials": {c.name: c for c in result.credentials},
        "envs": [(e.version, e.confidence, e.until) for e in result.environments],
        "result": result,
    }


def ev(ts: str, **fields: Any) -> dict[str, Any]:
    return {"ts": f"2026-03-24T{ts}:00Z", "session": "s1", "host": "h1", **fields}


def test_pinned_bad_startup_version_then_python_is_confirmed(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        [
            ev("11:00", **START),
            ev("11:01", event="install", package="litellm", version="1.82.8", environment="/venv"),
            ev("11:02", event="exec", program="python", environment="/venv"),
        ],
    )
    assert out["sessions"] == {"s1": "confirmed"}
    assert out["hosts"] == {"h1": "confirmed"}


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("10:30", {}),  # before 1.82.7 was uploaded: 1.82.6 was the newest
        ("10:45", {"s1": "possible"}),  # 1.82.7 picked: it runs only on the proxy import
        ("10:55", {"s1": "likely"}),  # 1.82.8 live
        ("13:30", {"s1": "possible"}),  # quarantined at 13:11, deleted by 16:00
        ("16:30", {}),  # after deletion
    ],
)
def test_unpinned_install_is_judged_by_the_window(
    tmp_path: Path, at: str, expected: dict[str, str]
) -> None:
    out = _run(
        tmp_path,
        [
            ev("10:00", **START),
            ev(at, event="install", package="litellm", spec=">=1.80", environment="/venv"),
            {
                **ev(at, event="exec", program="python", environment="/venv"),
                "ts": f"2026-03-24T{at}:30Z",
            },  # the start after the install
        ],
    )
    assert out["sessions"] == expected


def test_pin_to_good_version_is_not_exposed(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        [
            ev("11:00", **START),
            ev("11:01", event="install", package="litellm", version="1.82.6", environment="/venv"),
            ev("11:02", event="exec", program="python", environment="/venv"),
        ],
    )
    assert out["sessions"] == {} and out["envs"] == []


def test_import_trigger_needs_the_proxy_import(tmp_path: Path) -> None:
    events = [
        ev("11:00", **START),
        ev("11:01", event="install", package="litellm", version="1.82.7", environment="/venv"),
        ev("11:02", event="exec", program="python", environment="/venv"),
        {**ev("11:03", **START), "session": "s2"},
        {**ev("11:04", event="import", module="litellm.proxy.proxy_server"), "session": "s2"},
    ]
    out = _run(tmp_path, events)
    assert out["sessions"] == {"s1": "possible", "s2": "confirmed"}


def test_upgrade_ends_the_exposure_interval(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        [
            ev("11:00", **START),
            ev("11:01", event="install", package="litellm", version="1.82.8", environment="/venv"),
            ev("11:05", event="install", package="litellm", version="1.82.6", environment="/venv"),
            {**ev("11:10", **START), "session": "late"},
            {**ev("11:11", event="exec", program="python"), "session": "late"},
        ],
    )
    assert "late" not in out["sessions"]
    assert out["envs"][0][2] is not None  # the interval has an end


def test_other_environment_on_same_host_is_not_linked(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        [
            ev("11:00", **START),
            ev("11:01", event="install", package="litellm", version="1.82.8", environment="/venv"),
            {**ev("11:02", event="session_start", environment="/other"), "session": "s2"},
            {**ev("11:03", event="exec", program="python", environment="/other"), "session": "s2"},
        ],
    )
    assert "s2" not in out["sessions"]


def test_credentials_follow_exposed_sessions_and_uses_after_are_flagged(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        [
            ev("11:00", **START),
            ev(
                "11:00",
                event="credential",
                name="AWS_ACCESS_KEY_ID",
                key_id="AKIAEXAMPLE000000001",
                value="AKIAEXAMPLE000000001",
            ),
            ev("11:01", event="install", package="litellm", version="1.82.8", environment="/venv"),
            ev("11:02", event="exec", program="python", environment="/venv"),
            {
                "ts": "2026-03-24T09:00:00Z",
                "event": "credential_use",
                "key_id": "AKIAEXAMPLE000000001",
                "source_ip": "10.0.0.1",
                "action": "s3:ListBuckets",
            },
            {
                "ts": "2026-03-24T15:00:00Z",
                "event": "credential_use",
                "key_id": "AKIAEXAMPLE000000001",
                "source_ip": "10.0.0.1",
                "action": "s3:ListBuckets",
            },
            {
                "ts": "2026-03-24T15:05:00Z",
                "event": "credential_use",
                "key_id": "AKIAEXAMPLE000000001",
                "source_ip": "203.0.113.9",
                "action": "sts:GetCallerIdentity",
            },
        ],
    )
    cred = out["credentials"]["AWS_ACCESS_KEY_ID"]
    assert cred.confidence == "confirmed"
    assert [(u.source_ip, u.new_source_ip) for u in cred.used_after_exposure] == [
        ("10.0.0.1", False),
        ("203.0.113.9", True),
    ]


def test_unknown_advisory_exits_4(tmp_path: Path) -> None:
    from scoper.errors import AdvisoryUnavailableError

    with pytest.raises(AdvisoryUnavailableError):
        api.scope("no-such-advisory", db=str(tmp_path / "x.duckdb"))


def test_empty_store_is_not_a_silent_clean_answer(tmp_path: Path) -> None:
    from scoper.errors import AdvisoryUnavailableError
    from scoper.store.db import connect

    empty = tmp_path / "empty.duckdb"
    connect(str(empty)).close()  # a store with the schema and nothing ingested
    with pytest.raises(AdvisoryUnavailableError, match="no ingested data"):
        api.scope("litellm-2025", db=str(empty))


def test_ioc_file_in_site_packages_exposes_the_environment(tmp_path: Path) -> None:
    import hashlib

    site = tmp_path / "srv" / ".venv" / "lib" / "python3.12" / "site-packages"
    (site / "six-1.17.0.dist-info").mkdir(parents=True)
    (site / "six-1.17.0.dist-info" / "METADATA").write_text("Name: six\nVersion: 1.17.0\n")
    payload = b"import os; os.system('true')  # harmless stand-in for a dropped .pth\n"
    (site / "evil_init.pth").write_bytes(payload)
    advisory = tmp_path / "adv.json"
    advisory.write_text(
        json.dumps(
            {
                "id": "TEST-PTH-1",
                "modified": "2026-03-24T00:00:00Z",
                "affected": [
                    {"package": {"ecosystem": "PyPI", "name": "evilpkg"}, "versions": ["6.6.6"]}
                ],
                "database_specific": {
                    "scoper": {
                        "file_hashes": [
                            {
                                "sha256": hashlib.sha256(payload).hexdigest(),
                                "filename": "evil_init.pth",
                            }
                        ]
                    }
                },
            }
        )
    )
    log = tmp_path / "events.jsonl"
    env = str(tmp_path / "srv" / ".venv")
    log.write_text(
        "".join(
            json.dumps(e) + "\n"
            for e in [
                ev("11:00", event="session_start", environment=env),
                ev("11:05", event="exec", program="python", environment=env),
            ]
        )
    )
    db = str(tmp_path / "s.duckdb")
    assert not api.ingest([site, log], db=db, host="h1").failed
    result = api.scope("TEST-PTH-1", db=db, extra=[advisory])
    (found,) = result.environments
    assert (found.environment, found.package, found.confidence) == (env, "evilpkg", "confirmed")
    assert "indicator" in found.evidence[0].fact
    assert {s.session_id: s.confidence for s in result.sessions} == {"s1": "confirmed"}


def test_install_inside_one_pod_does_not_expose_another_on_the_same_node(tmp_path: Path) -> None:
    pod = {"event": "session_start", "host": "node-1", "kind": "pod", "image_digest": "sha256:aa"}
    out = _run(
        tmp_path,
        [
            {**ev("11:00", **pod), "session": "k8s:ns/a"},
            {
                **ev(
                    "11:01",
                    event="install",
                    package="litellm",
                    version="1.82.8",
                    environment="/usr/local",
                    host="node-1",
                ),
                "session": "k8s:ns/a",
            },
            {
                **ev(
                    "11:02", event="exec", program="python", environment="/usr/local", host="node-1"
                ),
                "session": "k8s:ns/a",
            },
            {**ev("11:00", **pod), "session": "k8s:ns/b"},
            {
                **ev(
                    "11:03", event="exec", program="python", environment="/usr/local", host="node-1"
                ),
                "session": "k8s:ns/b",
            },
        ],
    )
    assert out["sessions"] == {"k8s:ns/a": "confirmed"}


def test_install_with_unknown_environment_links_python_starts_on_the_host_as_possible(
    tmp_path: Path,
) -> None:
    out = _run(
        tmp_path,
        [
            {**ev("11:00", event="session_start"), "environment": None},
            ev("11:01", event="install", package="litellm", version="1.82.8"),  # e.g. `uv pip`
            ev("11:02", event="exec", program="python", environment="/srv/app/.venv"),
        ],
    )
    assert out["sessions"] == {"s1": "possible"}
    fact = out["result"].sessions[0].evidence
    assert any("not recorded" in e.fact for e in fact)


def test_scope_on_a_missing_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    from scoper.errors import AdvisoryUnavailableError

    missing = tmp_path / "nothing-here.duckdb"
    with pytest.raises(AdvisoryUnavailableError, match="no scoper store"):
        api.scope("litellm-2025", db=str(missing))
    assert not missing.exists()

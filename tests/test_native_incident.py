"""The sample incident told twice must scope the same.

``fixtures/incident/audit/*.jsonl`` tells the litellm incident in scoper's own event format;
``fixtures/incident-native/`` tells it through a Claude Code transcript, GitHub Actions job
logs, a Linux auditd log, a Kubernetes audit log and CloudTrail. With the shared lockfiles
and SBOMs, both tellings must give the same exposed sessions, hosts, environments and
credentials, except where a native format cannot carry a fact (listed below, with why).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from scoper.cli import app

ROOT = Path(__file__).resolve().parent.parent
NATIVE = ROOT / "fixtures" / "incident-native"
PLANTED = re.compile(r"FIXTUREplanted[0-9A-Za-z/]*")
GATEWAY = "k8s:prod/llm-gateway-7d9f6b8c5-x2kqp"
JOB_TEST = "github:acme/app/runs/23480118810/attempts/1/jobs/68211470115"
JOB_PROXY = "github:acme/app/runs/23480118811/attempts/1/jobs/68211474402"
NATIVE_INPUTS = [
    "fixtures/incident-native/ci",
    "fixtures/incident-native/dev-bob",
    "fixtures/incident-native/k8s",
    "fixtures/incident-native/cloudtrail",
    "fixtures/incident/lockfiles",
    "fixtures/incident/sbom",
]

# One credential, named differently by the two tellings (native name -> JSONL name).
NATIVE_NAMES = {
    # Claude Code shows the path the agent's command used; the JSONL names the key file.
    "~/.ssh/id_ed25519": "id_ed25519",
    # The Kubernetes audit log names a token by namespace/service account (TokenRequest);
    # the JSONL by the secret mounted in the pod.
    "prod/llm-gateway": "prod/llm-gateway-token",
}
# (name, kind, session) only the JSONL telling has: the API server audit log does not record
# a container's environment (the kubelet's read of the pod's env secret names no pod).
JSONL_ONLY = {("OPENAI_API_KEY", "openai-api-key", GATEWAY)}
# The kubelet on node-a1 reads the gateway's env secret to start the pod; k8s audit names the
# secret (not its keys), so the native telling carries it as a node-level credential instead.
NATIVE_ONLY = {("prod/llm-gateway-env", "k8s-secret", None)}
# Every job holds the job's own GITHUB_TOKEN, which actions/checkout leaves in .git/config; the
# job logs show the checkout, the JSONL telling lists only the env secrets.
NATIVE_ONLY |= {("GITHUB_TOKEN", "github-token", job) for job in (JOB_TEST, JOB_PROXY)}
# GitHub masks secrets as *** in job logs: the native telling knows their names, not values,
# so they are not fingerprinted and not grouped across jobs.
MASKED = {"AWS_SECRET_ACCESS_KEY", "PYPI_TOKEN"}
# auditd logs argv, not VIRTUAL_ENV: the venv bob had activated is unnamed natively.
UNNAMED_ENVIRONMENTS = {"dev-bob": "/home/bob/svc/.venv"}


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args)


def _ingest(db: Path, paths: list[str], host: str | None = None) -> None:
    result = _invoke(["ingest", *paths, "--db", str(db), *(["--host", host] if host else [])])
    assert result.exit_code == 0, result.output


def _scope(db: Path, fmt: str) -> str:
    result = _invoke(["scope", "--advisory", "litellm-2025", "--db", str(db), "-f", fmt])
    assert result.exit_code == 1, result.output  # findings
    return str(result.stdout)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Two stores, ``native`` and ``jsonl``, ingested as fixtures/incident-native/README.md says."""
    tmp = tmp_path_factory.mktemp("tellings")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("SCOPER_FINGERPRINT_KEY", "native-test-key")  # same fingerprints in both
        native, jsonl = tmp / "native.duckdb", tmp / "jsonl.duckdb"
        _ingest(native, ["fixtures/incident-native/dev-alice"], host="dev-alice")
        _ingest(native, NATIVE_INPUTS)
        _ingest(jsonl, ["fixtures/incident"])
        yield {"native": native, "jsonl": jsonl, "tmp": tmp}


@pytest.fixture(scope="module")
def reports(stores: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {name: json.loads(_scope(stores[name], "json")) for name in ("native", "jsonl")}


def _second(ts: str | None) -> str | None:
    return ts[:19] if ts else None


def test_every_native_line_is_understood(stores: dict[str, Path]) -> None:
    con = duckdb.connect(str(stores["native"]), read_only=True)
    try:
        rows = con.execute(
            "SELECT source_file, source_line, reason FROM skipped "
            "WHERE source_file LIKE 'fixtures/incident-native/%' AND NOT informational"
        ).fetchall()
        formats = {r[0] for r in con.execute("SELECT format FROM ingests").fetchall()}
    finally:
        con.close()
    assert rows == []
    assert {"claude-code", "github-actions-log", "auditd", "k8s-audit", "cloudtrail"} <= formats


def test_same_exposed_sessions(reports: dict[str, dict[str, Any]]) -> None:
    def sessions(data: dict[str, Any]) -> dict[str, tuple[str, str, str | None]]:
        return {
            s["session_id"]: (s["host"], s["confidence"], _second(s["first_exposed"]))
            for s in data["sessions"]
        }

    native = sessions(reports["native"])
    assert native == sessions(reports["jsonl"])
    assert {sid: conf for sid, (_, conf, _) in native.items()} == {
        "7f3a2c1e-5b9d-4e8f-a6c0-1d3b5f7e9a24": "likely",
        "auditd:dev-bob:ses:214": "possible",
        JOB_TEST: "possible",
        JOB_PROXY: "confirmed",
        GATEWAY: "likely",
    }


def test_same_exposed_hosts(reports: dict[str, dict[str, Any]]) -> None:
    def hosts(data: dict[str, Any]) -> dict[str, tuple[str, str | None, list[str]]]:
        return {
            h["host"]: (h["confidence"], _second(h["first_exposed"]), h["sessions"])
            for h in data["hosts"]
        }

    native = hosts(reports["native"])
    assert native == hosts(reports["jsonl"])
    assert {h: conf for h, (conf, _, _) in native.items()} == {
        "ci-runner-3": "confirmed",
        "dev-alice": "likely",
        "dev-bob": "possible",
        "node-a1": "likely",
    }


def test_same_environments(reports: dict[str, dict[str, Any]]) -> None:
    def environments(data: dict[str, Any], unnamed: dict[str, str]) -> Counter[tuple[Any, ...]]:
        return Counter(
            (
                e["host"],
                e["environment"] or unnamed.get(e["host"] or ""),
                e["image_digest"],
                e["package"],
                e["version"],
                e["confidence"],
            )
            for e in data["environments"]
        )

    native = environments(reports["native"], UNNAMED_ENVIRONMENTS)
    assert native == environments(reports["jsonl"], {})
    assert ("dev-bob", None) in {
        (e["host"], e["environment"]) for e in reports["native"]["environments"]
    }
    assert Counter((p, v, c) for _, _, _, p, v, c in native) == {
        ("litellm", "1.82.8", "confirmed"): 2,  # the gateway's lock and image
        ("litellm", "1.82.8", "likely"): 1,  # alice's venv
        ("litellm", "1.82.8", "possible"): 2,  # the batch lock, bob's venv
        ("litellm", "1.82.7", "confirmed"): 1,  # the CI venv
    }


def _credential_rows(data: dict[str, Any], names: dict[str, str]) -> set[tuple[Any, ...]]:
    """(name, kind, session) per exposed credential and session holding it."""
    return {
        (names.get(c["name"], c["name"]), c["kind"], session)
        for c in data["credentials"]
        for session in c["sessions"] or [None]
    }


def _by_value(data: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Fingerprinted credential findings, keyed by (name, fingerprint)."""
    return {
        (c["name"], c["fingerprint"]): (
            c["kind"],
            c["confidence"],
            _second(c["first_exposed"]),
            c["sessions"],
            c["hosts"],
        )
        for c in data["credentials"]
        if c["fingerprint"]
    }


def test_same_credentials_where_the_formats_carry_them(
    reports: dict[str, dict[str, Any]],
) -> None:
    native, jsonl = reports["native"], reports["jsonl"]
    native_rows = _credential_rows(native, NATIVE_NAMES)
    jsonl_rows = _credential_rows(jsonl, {})
    assert jsonl_rows - native_rows == JSONL_ONLY
    assert native_rows - jsonl_rows == NATIVE_ONLY
    # values both tellings carry are the same values, exposed the same way
    comparable = {
        key: found
        for key, found in _by_value(jsonl).items()
        if key[0] not in MASKED and GATEWAY not in found[3]
    }
    assert _by_value(native) == comparable
    assert {name for name, _ in comparable} == {
        "ANTHROPIC_API_KEY",
        "AWS_ACCESS_KEY_ID",
        "GITHUB_TOKEN",
        "OPENAI_API_KEY",
    }
    assert all(c["fingerprint"] is None for c in native["credentials"] if c["name"] in MASKED)


def test_aws_key_used_from_a_new_ip_after_exposure(reports: dict[str, dict[str, Any]]) -> None:
    def uses(data: dict[str, Any]) -> list[tuple[Any, ...]]:
        aws = next(c for c in data["credentials"] if c["name"] == "AWS_ACCESS_KEY_ID")
        return [
            (u["ts"], u["source_ip"], u["principal"], u["new_source_ip"], u["new_user_agent"])
            for u in aws["used_after_exposure"]
        ]

    assert uses(reports["native"]) == [
        (
            "2026-03-24T14:02:11Z",
            "46.151.182.203",
            "arn:aws:iam::111122223333:user/ci-deployer",
            True,
            True,
        )
    ]
    assert uses(reports["native"]) == uses(reports["jsonl"])


def test_no_planted_secret_in_native_store_or_reports(stores: dict[str, Path]) -> None:
    planted = set(PLANTED.findall("".join(p.read_text() for p in NATIVE.rglob("*") if p.is_file())))
    assert len(planted) >= 3, "the native telling must plant secret values to mean anything"
    db = stores["native"]
    outputs = [_scope(db, fmt) for fmt in ("json", "csv", "markdown")]
    blobs = [p.read_bytes() for p in db.parent.glob(db.name + "*")]  # the store and any WAL
    for secret in planted:
        assert all(secret.encode() not in blob for blob in blobs), secret
        assert all(secret not in text for text in outputs), secret


def test_gzipped_cloudtrail_reads_like_the_plain_file(stores: dict[str, Path]) -> None:
    plain = NATIVE / "cloudtrail" / "cloudtrail.json"
    packed = stores["tmp"] / "cloudtrail.json.gz"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    db = stores["tmp"] / "gz.duckdb"
    _ingest(db, [str(packed)])

    def uses(path: Path) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute(
                "SELECT ts, key_id, principal, source_ip, user_agent, action, source_line "
                "FROM credential_uses WHERE key_id LIKE 'AKIA%' ORDER BY ts"
            ).fetchall()
        finally:
            con.close()

    assert uses(db) == uses(stores["native"])
    assert len(uses(db)) == 3

"""The identity incident (fixtures/incident-identities/) scopes to exactly its README's answer.

Evidence in native formats only: GitHub Actions run-log archives, CloudTrail delivery files,
a Claude Code transcript, a raw auditd log, a Kubernetes audit log and CycloneDX SBOMs, with
the responder's mapping passed as ``scope --identities``. The expected sessions, hosts and
credential identities (aliases with rule, confidence and evidence; where each lives; uses
after exposure with new-IP and indicator flags; what each was derived from) are asserted
exactly; the decoys (dave's key, the docs job, the billing pod) must appear nowhere.

The JSON shape of the identity members (``aliases``, ``lives_in``, ``used_after_exposure``'s
``new_ip``/``indicator``, ``derived_from``, ``id``) is read through the small helpers
``_evidence``, ``_place`` and ``_use``; the values they are compared with are exact.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from scoper.cli import app
from scoper.sources.base import fingerprint

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "fixtures/incident-identities"
HERE = ROOT / FOLDER
KEY = "identity-test-key"
PLANTED = re.compile(r"FIXTUREplanted[0-9A-Za-z/]*")

JOB_A = "github:acme/gateway/runs/23511000001/attempts/unknown/jobs/build/evidence/c3743dd543540f7d"
CAROL = "5c0a7e1d-3b2f-4c8e-9a61-2d4f8b0c7e35"
SES44 = "auditd:build-7:ses:44"
SCORER = "k8s:ml/scorer-6f7d9-abcde"

CI_ZIP = f"{FOLDER}/ci/logs_23511000001.zip"
SETUP = f"{CI_ZIP}!/1_build.txt"  # the job file is the evidence; step files add to it
TRAIL = f"{FOLDER}/cloudtrail/AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/24"
CT_1105 = f"{TRAIL}/111122223333_CloudTrail_us-east-1_20260324T1105Z_b80e0c01a078ae10.json.gz"
CT_1130 = f"{TRAIL}/111122223333_CloudTrail_us-east-1_20260324T1130Z_f86948adec6d49dd.json.gz"
CT_1135 = f"{TRAIL}/111122223333_CloudTrail_us-east-1_20260324T1135Z_4bbf1ba4e2bc827e.json.gz"
CT_1415 = f"{TRAIL}/111122223333_CloudTrail_us-east-1_20260324T1415Z_add933992ca83938.json.gz"
TRANSCRIPT = f"{FOLDER}/dev-carol/claude-projects/-home-carol-svc/{CAROL}.jsonl"
AUDIT = f"{FOLDER}/build-7/audit.log"
K8S = f"{FOLDER}/k8s/kube-apiserver-audit.log"
MAPPING = f"{FOLDER}/identities.csv"

SUBJECT = "repo:acme/gateway:ref:refs/heads/main"
CI_ROLE = "arn:aws:sts::111122223333:assumed-role/gateway-ci/GitHubActions"
ACCOUNT = "aws:111122223333"
JTI = "JTI=7a1c2e4f-9b3d-4c5a-8e6f-0d1b2c3a4f5e"
PYPI_FP = fingerprint(KEY.encode(), "pypi-AgEIcHlwaS5vcmcFIXTUREplanted0001")
OPENAI_FP = fingerprint(KEY.encode(), "sk-proj-FIXTUREplanted0002openaiCarolDotenv")

# Ids that name one credential: the exact set on each row is asserted (a wrong merge shows).
ID_KINDS = frozenset({"key-id", "token-id", "token-name", "fingerprint", "oidc-subject"})
DECOYS = (
    "AKIAFIXTUREDAVE00001",
    "198.51.100.50",
    "acme/docs",
    "23511000002",
    "billing",
    "b2d4f6a8-1c3e-4a5b-9d7f-2e4c6a8b0d1f",
)

SESSIONS = {
    JOB_A: ("GitHub Actions 12", "confirmed", "2026-03-24T11:10:00"),
    CAROL: ("dev-carol", "confirmed", "2026-03-24T11:32:05"),
    SES44: ("build-7", "confirmed", "2026-03-24T12:10:00"),
    SCORER: ("ip-10-0-3-5", "confirmed", "2026-03-24T11:40:00"),
}
HOSTS = {
    "GitHub Actions 12": ("confirmed", "2026-03-24T11:05:24", [JOB_A]),  # Collecting ==1.82.8
    "build-7": ("confirmed", "2026-03-24T12:05:12", [SES44]),
    "dev-carol": ("confirmed", "2026-03-24T11:30:12", [CAROL]),
    "ip-10-0-3-5": ("confirmed", "2026-03-24T11:40:00", [SCORER]),
}


@dataclass(frozen=True)
class Expected:
    """One credential identity of the README's table."""

    handle: tuple[str, str]  # an alias only this identity has
    ids: frozenset[tuple[str, str]]  # its aliases of ID_KINDS, exactly
    links: tuple[tuple[str, str, str, str, str], ...]  # (kind, value, rule, confidence, where)
    lives_in: frozenset[str]
    first_exposed: str
    uses: tuple[tuple[str, str, bool, bool], ...] = ()  # (ts, source ip, new ip, indicator)
    derived_from: tuple[str, str] | None = None  # the parent's handle
    confidence: str = "confirmed"


def _job(name: str) -> Expected:
    return Expected(
        ("env-name", name), frozenset(), (), frozenset({f"session {JOB_A}"}), "11:10:00"
    )


OIDC = ("oidc-subject", SUBJECT)
EXPECTED = [
    Expected(
        OIDC,
        frozenset({OIDC}),
        (("oidc-subject", SUBJECT, "minted-for", "confirmed", SETUP),),
        frozenset({f"session {JOB_A}"}),
        "11:10:00",
        (("11:31:07", "83.142.209.11", True, True),),
    ),
    Expected(
        ("key-id", "ASIAFIXTURECI0000001"),
        frozenset({("key-id", "ASIAFIXTURECI0000001")}),
        (
            ("key-id", "ASIAFIXTURECI0000001", "exchange", "confirmed", f"{CT_1105}:1"),
            ("principal", CI_ROLE, "owner", "confirmed", f"{CT_1105}:1"),
            ("account", ACCOUNT, "owner", "confirmed", f"{CT_1105}:1"),
        ),
        frozenset({f"session {JOB_A}"}),
        "11:10:00",
        (("11:15:05", "20.42.10.5", False, False),),
        derived_from=OIDC,
    ),
    Expected(
        ("key-id", "ASIAFIXTUREATTACK001"),
        frozenset({("key-id", "ASIAFIXTUREATTACK001")}),
        (
            ("key-id", "ASIAFIXTUREATTACK001", "exchange", "confirmed", f"{CT_1135}:1"),
            ("principal", CI_ROLE, "owner", "confirmed", f"{CT_1135}:1"),
            ("account", ACCOUNT, "owner", "confirmed", f"{CT_1135}:1"),
        ),
        frozenset(),
        "11:31:07",
        (
            ("11:32:15", "83.142.209.11", True, True),
            ("11:33:02", "83.142.209.11", True, True),
            ("11:34:19", "83.142.209.11", True, True),
        ),
        derived_from=OIDC,
    ),
    Expected(
        ("key-id", "AKIAFIXTURECAROL0001"),
        frozenset({("key-id", "AKIAFIXTURECAROL0001")}),
        (
            (
                "principal",
                "arn:aws:iam::111122223333:user/carol",
                "printed-identity",
                "confirmed",
                f"{TRANSCRIPT}:3",
            ),
            ("account", ACCOUNT, "printed-identity", "confirmed", f"{TRANSCRIPT}:3"),
            ("key-id", "AKIAFIXTURECAROL0001", "used-while-held", "likely", f"{CT_1130}:1"),
        ),
        frozenset({f"session {CAROL}"}),
        "11:32:05",
        (
            ("11:33:40", "198.51.100.7", False, False),
            ("13:40:22", "46.151.182.203", True, True),
        ),
    ),
    Expected(
        ("fingerprint", PYPI_FP),
        frozenset({("fingerprint", PYPI_FP)}),
        (
            ("fingerprint", PYPI_FP, "same-fingerprint", "confirmed", f"{TRANSCRIPT}:8"),
            ("fingerprint", PYPI_FP, "same-fingerprint", "confirmed", f"{AUDIT}:33"),
        ),
        frozenset({f"session {CAROL}", f"session {SES44}"}),
        "11:35:10",
    ),
    Expected(
        ("file", "/home/ci/.aws/credentials"),
        frozenset(),
        (),
        frozenset({"build-7:/home/ci/.aws/credentials"}),
        "12:10:00",
    ),
    Expected(  # the value cat .env printed: it lives in the file
        ("fingerprint", OPENAI_FP),
        frozenset({("fingerprint", OPENAI_FP)}),
        (("env-name", "OPENAI_API_KEY", "same-fingerprint", "confirmed", f"{TRANSCRIPT}:11"),),
        frozenset({"dev-carol:/home/carol/svc/.env"}),
        "11:36:02",
    ),
    Expected(  # the file itself, on the host whose payload ran: every secret in it
        ("file", "/home/carol/svc/.env"),
        frozenset(),
        (),
        frozenset({"dev-carol:/home/carol/svc/.env"}),
        "11:36:02",
    ),
    Expected(
        ("token-id", JTI),
        frozenset({("token-id", JTI)}),
        (
            ("token-id", JTI, "minted-for", "confirmed", f"{K8S}:3"),
            ("pod", "ml/scorer-6f7d9-abcde", "minted-for", "confirmed", f"{K8S}:3"),
            ("k8s-sa", "ml/scorer", "owner", "confirmed", K8S),
        ),
        frozenset({f"session {SCORER}"}),
        "11:40:02",  # the kubelet minted it two seconds after the pod was created
        (
            ("11:45:12", "10.0.3.17", False, False),
            ("12:30:18", "83.142.209.11", True, True),
        ),
    ),
    _job("GITHUB_TOKEN"),  # persisted in .git/config by actions/checkout: git-credentials
    # the `with: token:` input lives in the action's process only (process-memory): the
    # payload in a later step does not reach it, so it is not listed
    Expected(
        ("key-id", "AKIAFIXTUREDEPLOY001"),
        frozenset({("key-id", "AKIAFIXTUREDEPLOY001")}),
        (
            ("key-id", "AKIAFIXTUREDEPLOY001", "mapping", "confirmed", f"{MAPPING}:2"),
            (
                "principal",
                "arn:aws:iam::111122223333:user/deploy-bot",
                "owner",
                "confirmed",
                f"{CT_1415}:1",
            ),
        ),
        frozenset({f"session {JOB_A}"}),
        "11:10:00",
        (("14:10:44", "46.151.182.203", True, True),),
    ),
    Expected(
        ("token-name", "pypi:acme-gateway-release"),
        frozenset({("token-name", "pypi:acme-gateway-release")}),
        (
            (
                "token-name",
                "pypi:acme-gateway-release",
                "mapping",
                "confirmed",
                f"{MAPPING}:3",
            ),
        ),
        frozenset({f"session {JOB_A}"}),
        "11:10:00",
    ),
]


def _invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args)


def _scope(db: Path, fmt: str) -> str:
    args = ["scope", "--advisory", "litellm-2025", "--db", str(db), "-f", fmt]
    result = _invoke([*args, "--identities", MAPPING])
    assert result.exit_code == 1, result.output  # findings
    return str(result.stdout)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder ingested as its README says, with a pinned fingerprint key."""
    db = tmp_path_factory.mktemp("identities") / "ids.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("SCOPER_FINGERPRINT_KEY", KEY)
        for paths, host in (
            ([f"{FOLDER}/dev-carol"], ["--host", "dev-carol"]),
            ([f"{FOLDER}/{p}" for p in ("ci", "cloudtrail", "build-7", "k8s", "sbom")], []),
        ):
            result = _invoke(["ingest", *paths, "--db", str(db), *host])
            assert result.exit_code == 0, result.output
        yield db


@pytest.fixture(scope="module")
def report(store: Path) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("SCOPER_FINGERPRINT_KEY", KEY)
        data: dict[str, Any] = json.loads(_scope(store, "json"))
        return data


def _second(ts: str | None) -> str | None:
    return ts[:19] if ts else None


def _evidence(item: dict[str, Any]) -> set[str]:
    """``file:line`` (and ``file``) of every piece of evidence an alias carries."""
    found = item.get("evidence")
    pieces = found if isinstance(found, list) else [found if found else item]
    out: set[str] = set()
    for piece in pieces:
        if isinstance(piece, str):
            out |= {piece, piece.rsplit(":", 1)[0]}
        elif isinstance(piece, dict) and piece.get("file"):
            out |= {piece["file"], f"{piece['file']}:{piece.get('line')}"}
    return out


def _place(entry: Any) -> str:
    """A ``lives_in`` entry as ``session <id>`` or ``<host>:<path>``."""
    if isinstance(entry, str):
        return entry
    session = entry.get("session_id") or entry.get("session")
    if session:
        return f"session {session}"
    return f"{entry.get('host')}:{entry.get('file') or entry.get('path')}"


def _use(use: dict[str, Any]) -> tuple[Any, ...]:
    return (use["ts"][11:19], use["source_ip"], use["new_source_ip"], use["indicator"])


def _aliases(row: dict[str, Any]) -> set[tuple[str, str]]:
    return {(a["kind"], a["value"]) for a in row["aliases"]}


def _match(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each expected identity's row (by handle); every row must be one expected identity."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row in report["credentials"]:
        handles = [e.handle for e in EXPECTED if e.handle in _aliases(row)]
        assert len(handles) == 1, (row.get("name"), sorted(_aliases(row)))
        assert handles[0] not in rows, handles[0]
        rows[handles[0]] = row
    assert set(rows) == {e.handle for e in EXPECTED}
    return rows


def test_every_line_is_understood(store: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    try:
        skipped = con.execute(
            "SELECT source_file, source_line, reason FROM skipped WHERE NOT informational"
        ).fetchall()
        formats = {r[0] for r in con.execute("SELECT format FROM ingests").fetchall()}
    finally:
        con.close()
    assert skipped == []
    assert formats == {
        "claude-code",
        "github-actions-archive",
        "cloudtrail",
        "auditd",
        "k8s-audit",
        "cyclonedx-json",
    }


def test_exposed_sessions(report: dict[str, Any]) -> None:
    assert {
        s["session_id"]: (s["host"], s["confidence"], _second(s["first_exposed"]))
        for s in report["sessions"]
    } == SESSIONS


def test_exposed_hosts(report: dict[str, Any]) -> None:
    assert {
        h["host"]: (h["confidence"], _second(h["first_exposed"]), h["sessions"])
        for h in report["hosts"]
    } == HOSTS


def test_one_row_per_identity(report: dict[str, Any]) -> None:
    rows = _match(report)
    assert len(report["credentials"]) == len(EXPECTED)
    for expected in EXPECTED:
        row = rows[expected.handle]
        ids = {(k, v) for k, v in _aliases(row) if k in ID_KINDS}
        assert ids == expected.ids, expected.handle
        assert row["confidence"] == expected.confidence, expected.handle
        assert _second(row["first_exposed"]) == f"2026-03-24T{expected.first_exposed}"
        assert row["rotate"], expected.handle


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e.handle[0]}={e.handle[1]}")
def test_identity_links(report: dict[str, Any], expected: Expected) -> None:
    row = _match(report)[expected.handle]
    for kind, value, rule, confidence, where in expected.links:
        found = [
            a
            for a in row["aliases"]
            if (a["kind"], a["value"], a["rule"], a["confidence"])
            == (kind, value, rule, confidence)
            and where in _evidence(a)
        ]
        assert found, (kind, value, rule, confidence, where, row["aliases"])


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e.handle[0]}={e.handle[1]}")
def test_where_each_identity_lives(report: dict[str, Any], expected: Expected) -> None:
    row = _match(report)[expected.handle]
    assert {_place(p) for p in row["lives_in"]} == expected.lives_in


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e.handle[0]}={e.handle[1]}")
def test_uses_after_exposure(report: dict[str, Any], expected: Expected) -> None:
    row = _match(report)[expected.handle]
    assert [_use(u) for u in row["used_after_exposure"]] == list(expected.uses)


def test_descendants(report: dict[str, Any]) -> None:
    rows = _match(report)
    handle_of = {row["identity"]: handle for handle, row in rows.items()}
    assert {
        handle: handle_of.get(row["derived_from"]) if row["derived_from"] else None
        for handle, row in rows.items()
    } == {e.handle: e.derived_from for e in EXPECTED}


def test_decoys_appear_nowhere(report: dict[str, Any]) -> None:
    text = json.dumps(report)
    assert [d for d in DECOYS if d in text] == []


def test_no_planted_secret_in_store_or_reports(store: Path) -> None:
    texts = [f.read_text() for d in ("dev-carol", "build-7") for f in (HERE / d).rglob("*.*")]
    planted = set(PLANTED.findall("".join(texts)))
    assert len(planted) >= 2
    planted |= {"FIXTUREplanted"}  # also the ones inside the zip and gzip files
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("SCOPER_FINGERPRINT_KEY", KEY)
        outputs = [_scope(store, fmt) for fmt in ("json", "csv", "markdown")]
    blobs = [p.read_bytes() for p in store.parent.glob(store.name + "*")]
    for secret in planted:
        assert all(secret.encode() not in blob for blob in blobs), secret
        assert all(secret not in text for text in outputs), secret


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_identities", HERE / "make.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    make.HERE = tmp_path
    make.main()
    built = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(HERE): p.read_bytes()
        for p in HERE.rglob("*")
        if p.is_file() and p.name not in ("README.md", "make.py")
    }
    assert built == committed

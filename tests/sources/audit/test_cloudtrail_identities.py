"""CloudTrail identity links: key id -> principal and account (owner), STS exchanges."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations, parse_bytes
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from scoper.cli import app
from scoper.model import Alias, IdentityLink, Records
from scoper.sources.audit.cloudtrail import SOURCE
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "cloudtrail"
STS = "sts-exchanges.json"
ACCT = "123456789012"
CI_KEY = "AKIAIOSFODNN7EXAMPLE"
CI_USER = f"arn:aws:iam::{ACCT}:user/ci-deployer"
SESSION_TOKEN = "PLANTEDstsSESSIONtoken0123456789abcdefghijklmnopqrstuvwxyzPLANTED"
Row = tuple[object, ...]


def parse(name: str = STS) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def rows(links: list[IdentityLink]) -> list[Row]:
    return [
        (k.origin.line, k.rule, k.source.kind, k.source.value, k.target.kind, k.target.value)
        for k in links
    ]


def test_caller_key_owner_links_once_per_file() -> None:
    links = parse().identity_links
    ci = [k for k in links if k.source == Alias("key-id", CI_KEY) and k.rule == "owner"]
    assert rows(ci) == [
        (3, "owner", "key-id", CI_KEY, "principal", CI_USER),
        (3, "owner", "key-id", CI_KEY, "account", f"aws:{ACCT}"),
    ]  # the key signs five records; the pair is kept once, at its first record
    assert all(k.confidence == "confirmed" and not k.derived for k in ci)
    assert ci[0].ts == datetime(2026, 3, 24, 11, 0, 3, tzinfo=UTC)
    assert ci[0].fact == f"CloudTrail: {CI_KEY} belongs to {CI_USER}"
    assert ci[1].fact == f"CloudTrail: {CI_KEY} belongs to AWS account {ACCT}"


def test_assume_role_exchange_and_new_key_owner() -> None:
    links = [k for k in parse().identity_links if k.origin.line == 3][2:]
    role_session = f"arn:aws:sts::{ACCT}:assumed-role/deploy/ci-run-4412"
    assert rows(links) == [
        (3, "exchange", "key-id", CI_KEY, "key-id", "ASIAEXAMPLEDEPLOY001"),
        (3, "owner", "key-id", "ASIAEXAMPLEDEPLOY001", "principal", role_session),
        (3, "owner", "key-id", "ASIAEXAMPLEDEPLOY001", "account", f"aws:{ACCT}"),
    ]
    exchange = links[0]
    assert (exchange.derived, exchange.confidence) == (True, "confirmed")
    assert exchange.fact == (
        f"AssumeRole: {CI_KEY} traded for ASIAEXAMPLEDEPLOY001 "
        f"(role arn:aws:iam::{ACCT}:role/deploy) from 203.0.113.50"
    )
    assert links[1].fact == f"AssumeRole: ASIAEXAMPLEDEPLOY001 belongs to {role_session}"
    # the new key's own use (line 43) shows the same owner pair: not linked again
    assert not [k for k in parse().identity_links if k.origin.line == 43]


def test_session_and_federation_tokens() -> None:
    links = [k for k in parse().identity_links if k.origin.line in (84, 118)]
    assert rows(links) == [
        (84, "exchange", "key-id", CI_KEY, "key-id", "ASIAEXAMPLESESSION01"),
        (84, "owner", "key-id", "ASIAEXAMPLESESSION01", "principal", CI_USER),
        (84, "owner", "key-id", "ASIAEXAMPLESESSION01", "account", f"aws:{ACCT}"),
        (118, "exchange", "key-id", CI_KEY, "key-id", "ASIAEXAMPLEFEDERAT01"),
        (
            118,
            "owner",
            "key-id",
            "ASIAEXAMPLEFEDERAT01",
            "principal",
            f"arn:aws:sts::{ACCT}:federated-user/release-bot",
        ),
        (118, "owner", "key-id", "ASIAEXAMPLEFEDERAT01", "account", f"aws:{ACCT}"),
    ]
    assert [k.derived for k in links] == [True, False, False, True, False, False]


def test_github_oidc_web_identity_exchange() -> None:
    records = parse()
    links = [k for k in records.identity_links if k.origin.line == 158]
    subject = "repo:acme/app:ref:refs/heads/main"
    assert rows(links) == [
        (158, "exchange", "oidc-subject", subject, "key-id", "ASIAEXAMPLEGHAOIDC01"),
        (
            158,
            "owner",
            "key-id",
            "ASIAEXAMPLEGHAOIDC01",
            "principal",
            f"arn:aws:sts::{ACCT}:assumed-role/gha-release/GitHubActions",
        ),
        (158, "owner", "key-id", "ASIAEXAMPLEGHAOIDC01", "account", f"aws:{ACCT}"),
    ]
    assert links[0].derived and links[0].ts == datetime(2026, 3, 24, 11, 10, 41, tzinfo=UTC)
    assert links[0].fact == (
        f"AssumeRoleWithWebIdentity: {subject} traded for ASIAEXAMPLEGHAOIDC01 "
        f"(role arn:aws:iam::{ACCT}:role/gha-release) from 203.0.113.9"
    )
    use = next(u for u in records.credential_uses if u.origin.line == 158)
    assert (use.principal, use.key_id, use.service) == (subject, None, "aws")


def test_eks_irsa_subject_is_the_service_account() -> None:
    records = parse()
    (exchange, *_) = [k for k in records.identity_links if k.origin.line == 199]
    assert (exchange.rule, exchange.source, exchange.target, exchange.derived) == (
        "exchange",
        Alias("k8s-sa", "ml/trainer"),
        Alias("key-id", "ASIAEXAMPLEIRSATOK01"),
        True,
    )
    assert exchange.fact and exchange.fact.startswith(
        "AssumeRoleWithWebIdentity: system:serviceaccount:ml:trainer traded for"
    )
    use = next(u for u in records.credential_uses if u.origin.line == 199)
    assert use.principal == "system:serviceaccount:ml:trainer"  # the userName, not principalId


def test_saml_without_caller_key_links_only_the_new_key() -> None:
    links = [k for k in parse().identity_links if k.origin.line == 239]
    assert [(k.rule, k.source.value, k.target.kind) for k in links] == [
        ("owner", "ASIAEXAMPLESAMLADM01", "principal"),
        ("owner", "ASIAEXAMPLESAMLADM01", "account"),
    ]


def test_failed_exchanges_link_nothing() -> None:
    records = parse()
    assert not [k for k in records.identity_links if k.origin.line in (282, 313, 343)]
    assert not [k for k in records.identity_links if "evil" in k.source.value]
    failed = [u for u in records.credential_uses if u.outcome == "AccessDenied"]
    assert [(u.origin.line, u.principal) for u in failed] == [
        (282, CI_USER),
        (313, "repo:evil/fork:ref:refs/heads/main"),
    ]  # still uses


def test_every_use_is_an_aws_use() -> None:
    uses = parse().credential_uses
    assert len(uses) == 10 and {u.service for u in uses} == {"aws"}
    assert [(u.key_id, u.action) for u in uses[:2]] == [
        (CI_KEY, "sts.amazonaws.com:AssumeRole"),
        ("ASIAEXAMPLEDEPLOY001", "s3.amazonaws.com:GetObject"),
    ]


def test_existing_sample_irsa_record() -> None:
    records = parse("123456789012_CloudTrail_us-east-1_20260324T1050Z_h3Kx.json")
    exchanges = [k for k in records.identity_links if k.rule == "exchange"]
    assert rows(exchanges) == [
        (148, "exchange", "k8s-sa", "ml/trainer", "key-id", "ASIAEXAMPLETEMP00001")
    ]
    owners = {(k.source.value, k.target.value) for k in records.identity_links}
    role = f"arn:aws:sts::{ACCT}:assumed-role/trainer-irsa/botocore-session-1774349"
    assert ("ASIAEXAMPLETEMP00001", role) in owners  # from the use (line 29) and the exchange
    assert (CI_KEY, CI_USER) in owners
    assert records.credential_uses[3].principal == "system:serviceaccount:ml:trainer"


def test_unauthenticated_failures_link_no_owner() -> None:
    record = {
        "eventTime": "2026-03-24T14:02:11Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetCallerIdentity",
        "sourceIPAddress": "198.51.100.9",
        "errorCode": "InvalidClientTokenId",
        "userIdentity": {
            "type": "IAMUser",
            "accessKeyId": "AKIAEXAMPLEFORGED001",
            "arn": f"arn:aws:iam::{ACCT}:user/ci-deployer",
            "accountId": ACCT,
        },
    }
    records = parse_bytes(SOURCE, json.dumps({"Records": [record]}).encode(), "t.json")
    assert records.identity_links == [] and len(records.credential_uses) == 1


def test_exchange_without_new_credentials_in_the_response() -> None:
    record = json.loads((DATA / STS).read_text())["Records"][4]
    del record["responseElements"]["credentials"]  # some trails omit them
    records = parse_bytes(SOURCE, json.dumps(record).encode(), "one.json")
    assert records.identity_links == []


def test_session_tokens_never_kept(tmp_path: Path) -> None:
    assert_no_secrets(parse(), [SESSION_TOKEN])
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(DATA / STS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        (count,) = con.execute("SELECT count(*) FROM identity_links").fetchone() or (0,)
        listed = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = [r[0] for r in listed]
        dump = "\n".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    assert count == len(parse().identity_links) == 19
    assert SESSION_TOKEN not in dump and SESSION_TOKEN[8:28] not in dump
    assert all(SESSION_TOKEN.encode() not in p.read_bytes() for p in tmp_path.iterdir())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=line_mutations((DATA / STS).read_bytes()))
def test_fuzz_mutated_sts_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, STS)

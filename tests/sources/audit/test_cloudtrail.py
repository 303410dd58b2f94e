"""AWS CloudTrail: credential uses from Records files (gzip, compact), Lake JSONL, fuzzing."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations, parse_bytes
from hypothesis import HealthCheck, given, settings

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.audit.cloudtrail import SOURCE
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "cloudtrail"
NAME = "123456789012_CloudTrail_us-east-1_20260324T1050Z_h3Kx.json"
SAMPLE = (DATA / NAME).read_bytes()


def parse(name: str = NAME) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def test_sniff() -> None:
    assert SOURCE.sniff(DATA / NAME, SAMPLE[:4096])
    assert SOURCE.sniff(Path("x.jsonl"), (DATA / "lake-export.jsonl").read_bytes()[:4096])
    assert not SOURCE.sniff(Path("x.json"), b'{"awsAccountId": "1", "digestStartTime": "2026"}')
    assert not SOURCE.sniff(Path("x.json"), b'{"kind": "Event", "auditID": "1"}')


def test_iam_user_key_use() -> None:
    use = parse().credential_uses[0]
    assert use.key_id == "AKIAIOSFODNN7EXAMPLE"
    assert use.principal == "arn:aws:iam::123456789012:user/ci-deployer"
    assert use.ts == datetime(2026, 3, 24, 10, 47, 12, tzinfo=UTC)
    assert (use.source_ip, use.action) == ("203.0.113.50", "s3.amazonaws.com:ListBuckets")
    assert use.user_agent and use.user_agent.startswith("aws-cli/2.17.60")
    assert use.origin.line == 3


def test_role_session_console_login_and_web_identity() -> None:
    uses = parse().credential_uses
    assert [(u.key_id, u.action) for u in uses[1:]] == [
        ("ASIAEXAMPLETEMP00001", "secretsmanager.amazonaws.com:GetSecretValue"),
        (None, "signin.amazonaws.com:ConsoleLogin"),
        (None, "sts.amazonaws.com:AssumeRoleWithWebIdentity"),
    ]
    assert uses[1].principal == (
        "arn:aws:sts::123456789012:assumed-role/trainer-irsa/botocore-session-1774349"
    )
    assert uses[2].principal == "arn:aws:iam::123456789012:user/bob"


def test_unusable_records_are_skipped_with_lines() -> None:
    assert [(s.origin.line, s.reason) for s in parse().skipped] == [
        (71, "CloudTrail record without caller credentials (AWSService)"),
        (123, "CloudTrail record without a valid eventTime"),
    ]


def test_session_tokens_in_responses_are_not_kept() -> None:
    assert_no_secrets(parse(), ["PLANTEDsessionTOKENvalue0123456789abcdefghijklmnopqrstuvwxyz"])


def test_compact_gzip_file(tmp_path: Path) -> None:
    compact = json.dumps(json.loads(SAMPLE), separators=(",", ":")).encode()
    path = tmp_path / (NAME + ".gz")
    path.write_bytes(gzip.compress(compact))
    records = SOURCE.parse(path, ParseContext(path.name))
    assert len(records.credential_uses) == 4 and len(records.skipped) == 2
    assert {u.origin.line for u in records.credential_uses} == {1}


def test_single_record_and_lake_jsonl() -> None:
    one = json.dumps(json.loads(SAMPLE)["Records"][0]).encode()
    assert len(parse_bytes(SOURCE, one, "event.json").credential_uses) == 1
    lake = parse("lake-export.jsonl")
    assert [u.key_id for u in lake.credential_uses] == [
        "AKIAIOSFODNN7EXAMPLE",
        "ASIAEXAMPLETEMP00001",
    ]  # the second from an eventJson string
    assert [s.origin.line for s in lake.skipped] == [3]


def test_broken_document_raises_input_error() -> None:
    with pytest.raises(InputError) as err:
        parse_bytes(SOURCE, SAMPLE[: len(SAMPLE) // 2], NAME)
    assert err.value.place and err.value.place.startswith("line ")


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=line_mutations(SAMPLE))
def test_fuzz_mutated_pretty_file(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, NAME)


@FUZZ
@given(payload=line_mutations((DATA / "lake-export.jsonl").read_bytes()))
def test_fuzz_mutated_lake_export(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "lake.jsonl")


def test_error_code_becomes_the_use_outcome(tmp_path: Path) -> None:

    trail = tmp_path / "trail.json"
    trail.write_text(
        json.dumps(
            {
                "Records": [
                    {
                        "eventTime": "2026-03-24T14:02:11Z",
                        "eventSource": "iam.amazonaws.com",
                        "eventName": "ListUsers",
                        "sourceIPAddress": "203.0.113.9",
                        "userAgent": "curl/8",
                        "errorCode": "AccessDenied",
                        "userIdentity": {
                            "type": "IAMUser",
                            "accessKeyId": "AKIAEXAMPLE000000002",
                            "arn": "arn:aws:iam::111122223333:user/ci",
                        },
                    }
                ]
            }
        )
    )
    (use,) = SOURCE.parse(trail, ParseContext(display="trail.json")).credential_uses
    assert (use.action, use.outcome) == ("iam.amazonaws.com:ListUsers", "AccessDenied")

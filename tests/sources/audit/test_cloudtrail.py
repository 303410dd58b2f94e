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


def test_cloudwatch_filter_log_events_output() -> None:
    records = parse("cloudwatch-filter-log-events.json")
    assert [
        (u.key_id, u.principal, u.source_ip, u.action, u.outcome, u.origin.line)
        for u in records.credential_uses
    ] == [
        (
            "AKIAIOSFODNN7EXAMPLE",
            "arn:aws:iam::123456789012:user/ci-deployer",
            "198.51.100.23",
            "s3.amazonaws.com:ListBuckets",
            None,
            3,
        ),
        (
            "AKIAIOSFODNN7EXAMPLE",
            "arn:aws:iam::123456789012:user/ci-deployer",
            "198.51.100.23",
            "secretsmanager.amazonaws.com:GetSecretValue",
            "AccessDeniedException",
            10,
        ),
    ]
    assert records.credential_uses[0].ts == datetime(2026, 3, 24, 11, 2, 10, tzinfo=UTC)
    assert records.credential_uses[1].user_agent and records.credential_uses[
        1
    ].user_agent.startswith("Boto3/1.35.2")
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (17, "events[2]: not a JSON object, skipped")
    ]


@pytest.mark.parametrize(
    "name", ["cloudwatch-subscription.b64", "cloudwatch-subscription-lambda.json"]
)
def test_subscription_payload_base64_gzip(name: str) -> None:
    assert SOURCE.sniff(DATA / name, (DATA / name).read_bytes()[:4096])
    records = parse(name)
    assert [(u.key_id, u.principal, u.source_ip, u.action) for u in records.credential_uses] == [
        (
            "ASIAEXAMPLETEMP00002",
            "arn:aws:sts::123456789012:assumed-role/trainer-irsa/botocore-session-2",
            "203.0.113.77",
            "s3.amazonaws.com:PutObject",
        ),
        (
            "AKIAIOSFODNN7EXAMPLE",
            "arn:aws:iam::123456789012:user/ci-deployer",
            "198.51.100.23",
            "s3.amazonaws.com:ListBuckets",
        ),
    ]
    assert records.credential_uses[0].ts == datetime(2026, 3, 24, 11, 20, 3, tzinfo=UTC)
    assert not records.skipped


def test_subscription_payload_decoded_and_control_message() -> None:
    payload = {
        "messageType": "CONTROL_MESSAGE",
        "owner": "CloudwatchLogs",
        "logGroup": "",
        "logStream": "",
        "subscriptionFilters": [],
        "logEvents": [
            {
                "id": "",
                "timestamp": 1774351203000,
                "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose.",
            }
        ],
    }
    records = parse_bytes(SOURCE, json.dumps(payload).encode(), "control.json")
    assert [(s.reason, s.informational) for s in records.skipped] == [
        ("CloudWatch Logs control message (no log events)", True)
    ]
    assert not records.credential_uses


def test_eventbridge_events_and_source_address_objects() -> None:
    records = parse("eventbridge.jsonl")
    assert [(u.action, u.source_ip, u.origin.line) for u in records.credential_uses] == [
        ("iam.amazonaws.com:CreateAccessKey", "203.0.113.50", 1),
        ("iam.amazonaws.com:ListUsers", "192.0.2.44", 2),  # from {"ip": ..., "geo": ...}
        ("iam.amazonaws.com:ListRoles", None, 3),
    ]
    assert {u.key_id for u in records.credential_uses} == {"AKIAIOSFODNN7EXAMPLE"}
    assert [(s.origin.line, s.reason, s.informational) for s in records.skipped] == [
        (
            4,
            "EventBridge event is not a CloudTrail record (EC2 Instance State-change Notification)",
            True,
        ),
        (
            3,
            "1 CloudTrail record(s) without a readable sourceIPAddress",
            False,
        ),
    ]


def test_eventbridge_events_as_a_list() -> None:
    events = [json.loads(line) for line in (DATA / "eventbridge.jsonl").read_text().splitlines()]
    records = parse_bytes(SOURCE, json.dumps(events, indent=1).encode(), "events.json")
    assert len(records.credential_uses) == 3


def test_sns_notification_wrapping_an_eventbridge_event() -> None:
    assert SOURCE.sniff(
        DATA / "sns-notification.json", (DATA / "sns-notification.json").read_bytes()[:4096]
    )
    (use,) = parse("sns-notification.json").credential_uses
    assert (use.key_id, use.principal, use.source_ip, use.action) == (
        "AKIAIOSFODNN7EXAMPLE",
        "arn:aws:iam::123456789012:user/ci-deployer",
        "203.0.113.50",
        "iam.amazonaws.com:CreateAccessKey",
    )
    assert use.ts == datetime(2026, 3, 24, 12, 0, 1, tzinfo=UTC)


def test_sqs_body_of_a_records_notification() -> None:
    body = json.dumps({"Records": [json.loads(SAMPLE)["Records"][0]]})
    lambda_event = {"Records": [{"messageId": "1", "eventSource": "aws:sqs", "body": body}]}
    (use,) = parse_bytes(SOURCE, json.dumps(lambda_event).encode(), "sqs.json").credential_uses
    assert use.action == "s3.amazonaws.com:ListBuckets"


def test_s3_delivery_notice_is_an_informational_note() -> None:
    assert SOURCE.sniff(
        DATA / "s3-delivery-notice.json", (DATA / "s3-delivery-notice.json").read_bytes()
    )
    records = parse("s3-delivery-notice.json")
    assert not records.credential_uses
    (note,) = records.skipped
    assert note.informational and "s3://aws-cloudtrail-logs-123456789012/AWSLogs/" in note.reason


def test_broken_base64_payload_raises_input_error() -> None:
    with pytest.raises(InputError):
        parse_bytes(SOURCE, b"H4sI!!notbase64", "payload.b64")


@FUZZ
@given(payload=line_mutations((DATA / "cloudwatch-filter-log-events.json").read_bytes()))
def test_fuzz_mutated_filter_log_events(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "events.json")

"""Kubernetes audit log: pods, exec, secrets, tokens, credential uses, cloud envelopes, fuzzing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from audit_fuzz import assert_no_secrets, assert_only_input_errors, line_mutations, parse_bytes
from hypothesis import HealthCheck, given, settings

from scoper.model import Records
from scoper.sources.audit.k8s_audit import SOURCE
from scoper.sources.base import ParseContext
from scoper.sources.reading import read_head

DATA = Path(__file__).resolve().parents[2] / "data" / "k8s-audit"
SAMPLE = (DATA / "audit.jsonl").read_bytes()
POD = "k8s:ml/trainer-7d9f8c6b5-x2kqp"
DIGEST = "sha256:4f1c2b7a9e0d3c5b8a6f4e2d1c0b9a8f7e6d5c4b3a291807f6e5d4c3b2a19080"
SA = "system:serviceaccount:ml:trainer"


def parse(name: str = "audit.jsonl") -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def test_sniff_every_flavour() -> None:
    for path in DATA.iterdir():
        if path.suffix == ".md":
            continue
        assert SOURCE.sniff(path, read_head(path)), path.name
    assert not SOURCE.sniff(Path("p.json"), b'{"apiVersion": "audit.k8s.io/v1", "kind": "Policy"}')
    assert not SOURCE.sniff(Path("ct.json"), b'{"Records": [{"eventSource": "s3"}]}')


def test_pod_session_from_create_binding_and_delete() -> None:
    sessions = {s.session_id: s for s in parse().sessions}
    pod = sessions[POD]
    assert (pod.kind, pod.image_digest, pod.host, pod.actor) == ("pod", DIGEST, "gke-node-1", SA)
    assert pod.started_at == datetime(2026, 3, 24, 10, 29, 58, 100000, tzinfo=UTC)
    assert pod.ended_at == datetime(2026, 3, 24, 12, 0, tzinfo=UTC)
    assert pod.origin.line == 2  # the ResponseComplete stage, not RequestReceived
    web = sessions["k8s:web/web-5c9d"]  # tag-only image; digest from the kubelet status
    assert web.image_digest == "sha256:" + "ab" * 32


def test_pods_exec_command_from_request_uri() -> None:
    events = parse().events
    main = events[0]
    assert (main.kind, main.program) == ("exec", "sh")
    assert main.command == "sh -c pip install litellm==1.82.8"
    assert (main.session_id, main.host, main.origin.line) == (POD, "gke-node-1", 6)
    assert main.detail == {
        "user": "alice@example.com",
        "container": "trainer",
        "audit_id": "1b6f1a2e-0004",
    }
    install = next(e for e in events if e.kind == "install")
    assert (install.package, install.version, install.session_id) == ("litellm", "1.82.8", POD)
    assert all(e.ts < datetime(2026, 3, 24, 10, 48, tzinfo=UTC) for e in events)  # 403 exec dropped


def test_secret_reads_and_token_requests() -> None:
    creds = [
        (c.origin.line, c.name, c.kind, c.harvest_class, c.session_id, c.key_id)
        for c in parse().credentials
    ]
    assert creds == [
        (7, "ml/openai-api-key", "k8s-secret", "k8s-token", POD, None),
        (8, "ml/openai-api-key", "k8s-secret", "k8s-token", POD, None),
        (8, "ml/db-password", "k8s-secret", "k8s-token", POD, None),
        (9, "ml/trainer", "k8s-service-account-token", "k8s-token", POD, SA),
    ]


def test_service_account_requests_are_credential_uses() -> None:
    uses = [(u.origin.line, u.key_id, u.source_ip, u.action) for u in parse().credential_uses]
    assert (7, SA, "10.8.0.12", "get secrets") in uses
    assert (12, SA, "10.8.0.12", "get secrets") in uses  # denied, still a use of the token
    assert all(
        u.key_id.startswith("system:serviceaccount:") for u in parse().credential_uses if u.key_id
    )
    first = parse().credential_uses[1]
    assert first.user_agent == "python-requests/2.32.3"
    assert first.ts == datetime(2026, 3, 24, 10, 46, 30, tzinfo=UTC)


def test_skipped_entries() -> None:
    reasons = [(s.origin.line, s.reason) for s in parse().skipped]
    assert reasons[0][0] == 14 and reasons[0][1].startswith("invalid JSON")
    assert (15, "k8s audit: no requestReceivedTimestamp") in reasons
    assert (10, "2 audit event(s) with nothing scoper uses") in reasons


def test_secret_values_and_tokens_never_stored() -> None:
    for name in ("audit.jsonl", "eventlist.json", "eks-cloudwatch.jsonl"):
        assert_no_secrets(
            parse(name),
            [
                "sk-proj-PLANTEDk8sSECRET0123456789abcdefgh",
                "c2stcHJvai1QTEFOVEVEazhzU0VDUkVU",  # its base64 as stored in the Secret
                "PLANTEDjwtSIGNATUREabcdefghijklmnop",
            ],
        )


def test_eventlist_keeps_item_lines() -> None:
    records = parse("eventlist.json")
    assert [s.origin.line for s in records.sessions] == [6]
    assert [(c.origin.line, c.name) for c in records.credentials] == [
        (116, "ml/openai-api-key"),
        (6, "serviceaccount token ml/trainer"),  # the pod's mounted token, from its create
    ]


def test_aks_envelope() -> None:
    records = parse("aks-diagnostics.json")
    assert [s.session_id for s in records.sessions] == [POD]
    assert [c.name for c in records.credentials] == [
        "ml/openai-api-key",
        "serviceaccount token ml/trainer",
    ]
    assert [s.reason for s in records.skipped] == ["wrapped log is not JSON"]


def test_eks_cloudwatch_envelope() -> None:
    records = parse("eks-cloudwatch.jsonl")
    assert [(u.origin.line, u.action) for u in records.credential_uses] == [
        (1, "get secrets"),
        (2, "list secrets"),
    ]
    # no pod in this file and no pod-name in the list request: session unknown
    assert [c.session_id for c in records.credentials] == [POD, None, None]


def test_gke_cloud_audit_log() -> None:
    records = parse("gke-cloudaudit.jsonl")
    (pod,) = records.sessions
    assert (pod.session_id, pod.image_digest, pod.host) == (POD, DIGEST, "gke-node-1")
    assert [(c.name, c.session_id) for c in records.credentials] == [
        ("ml/openai-api-key", POD),
        ("serviceaccount token ml/trainer", POD),
    ]
    assert [u.action for u in records.credential_uses] == [
        "create pods",
        "get secrets",
        "get secrets",
    ]


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(payload=line_mutations(SAMPLE))
def test_fuzz_mutated_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "audit.jsonl")


@FUZZ
@given(payload=line_mutations((DATA / "gke-cloudaudit.jsonl").read_bytes()))
def test_fuzz_mutated_gke(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "gke.jsonl")


def test_secret_list_without_response_names_the_namespace() -> None:
    line = json.loads(SAMPLE.split(b"\n")[7])  # the list of secrets, RequestResponse level
    del line["responseObject"]
    records = parse_bytes(SOURCE, json.dumps(line).encode(), "list.jsonl")
    assert [(c.name, c.session_id) for c in records.credentials] == [("ml/*", None)]


def test_events_without_api_version_or_kind() -> None:
    records = parse("falco-no-kind.jsonl")
    (pod,) = records.sessions
    assert (pod.session_id, pod.host, pod.actor, pod.started_at, pod.image_digest) == (
        "k8s:build/miner-5c7d9",
        "ip-10-0-3-17.ec2.internal",
        "system:serviceaccount:build:ci-runner",
        datetime(2026, 3, 24, 13, 0, 1, tzinfo=UTC),
        "sha256:9b2a7c1d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
    )
    execs = [e for e in records.events if e.kind == "exec"]
    assert execs[0].command == "sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token"
    assert execs[0].session_id == pod.session_id and execs[0].detail["user"] == "kubernetes-admin"
    assert execs[0].ts == datetime(2026, 3, 24, 13, 2, 10, tzinfo=UTC)
    secret, mounted = records.credentials
    assert (secret.name, secret.kind, secret.session_id) == (
        "build/registry-creds",
        "k8s-secret",
        pod.session_id,
    )
    assert (mounted.name, mounted.kind, mounted.session_id) == (
        "serviceaccount token build/ci-runner",
        "k8s-service-account-token",
        pod.session_id,
    )
    (use,) = records.credential_uses
    assert (use.key_id, use.source_ip, use.user_agent, use.action, use.outcome) == (
        "system:serviceaccount:build:ci-runner",
        "10.0.3.44",
        "curl/8.5.0",
        "get secrets",
        None,
    )


def test_kube_audit_rest_admission_reviews() -> None:
    records = parse("kube-audit-rest.jsonl")
    (pod,) = records.sessions
    assert (pod.session_id, pod.actor, pod.started_at, pod.ended_at, pod.image_digest) == (
        "k8s:shop/web-6f7d8-abcde",  # the name from the object (generateName)
        "system:serviceaccount:shop:web",
        datetime(2026, 3, 24, 14, 0, 0, 123000, tzinfo=UTC),
        datetime(2026, 3, 24, 15, 0, tzinfo=UTC),
        "sha256:9b2a7c1d3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
    )
    (exec_event,) = [e for e in records.events if e.kind == "exec"]
    assert (exec_event.command, exec_event.session_id, exec_event.origin.line) == (
        "/bin/sh -c env",
        pod.session_id,
        2,
    )
    assert exec_event.detail == {
        "user": "alice@example.com",
        "container": "web",
        "audit_id": "3d1f0e2a-0002",
    }
    (use,) = records.credential_uses
    assert (use.key_id, use.action) == (
        "system:serviceaccount:kube-system:replicaset-controller",
        "create pods",
    )
    assert [(s.origin.line, s.reason) for s in records.skipped] == [
        (3, "1 audit event(s) with nothing scoper uses")  # a secret create: no read
    ]
    assert_no_secrets(records, ["UExBTlRFRGFkbWlzc2lvblNFQ1JFVA==", "PLANTEDadmissionSECRET"])


def test_eventlist_without_kinds() -> None:
    events = [json.loads(line) for line in (DATA / "falco-no-kind.jsonl").read_text().splitlines()]
    payload = json.dumps({"items": events}, indent=2).encode()
    assert SOURCE.sniff(Path("list.json"), payload[:4096])
    records = parse_bytes(SOURCE, payload, "list.json")
    assert len(records.sessions) == 1 and len(records.credentials) == 2  # a secret, the token


@FUZZ
@given(payload=line_mutations((DATA / "kube-audit-rest.jsonl").read_bytes()))
def test_fuzz_mutated_kube_audit_rest(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, "kube-audit-rest.jsonl")


def test_eks_logs_from_filter_log_events_output() -> None:
    lines = (DATA / "eks-cloudwatch.jsonl").read_text().splitlines()
    events = [{"logStreamName": "kube-apiserver-audit-1", **json.loads(x)} for x in lines]
    payload = json.dumps({"events": events, "searchedLogStreams": []}, indent=4).encode()
    assert SOURCE.sniff(Path("events.json"), payload[:4096])
    records = parse_bytes(SOURCE, payload, "events.json")
    assert [u.action for u in records.credential_uses] == ["get secrets", "list secrets"]
    assert len(records.credentials) == 3


def test_falco_fixture_exec_without_api_version() -> None:
    records = parse("falco-exec_pod.json")  # falcosecurity/falco, Apache-2.0
    (event,) = [e for e in records.events if e.kind == "exec"]
    assert (event.session_id, event.command, event.ts) == (
        "k8s:default/nginx-deployment-7998647bdf-phvq7",
        "bash",
        datetime(2018, 10, 26, 13, 38, 34, 867116, tzinfo=UTC),
    )
    assert event.detail["user"] == "minikube-user" and event.detail["container"] == "nginx1"


def test_falco_fixture_pod_create_v1beta1() -> None:
    records = parse("falco-create_nginx_pod_privileged.json")
    (pod,) = records.sessions
    assert (pod.session_id, pod.actor, pod.started_at, pod.image_digest) == (
        "k8s:default/nginx-deployment-5cdcc99dbf-rgw6z",
        "system:serviceaccount:default:default",
        datetime(2018, 10, 25, 14, 9, 12, 572676, tzinfo=UTC),
        None,  # "nginx": a tag, no digest
    )
    (use,) = records.credential_uses
    assert (use.key_id, use.source_ip, use.action) == (
        "system:serviceaccount:kube-system:replicaset-controller",
        "::1",
        "create pods",
    )

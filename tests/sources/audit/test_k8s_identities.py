"""Kubernetes audit identity evidence: token ids of uses, TokenRequests, mounted tokens, pod
addresses and the Python programs pod specs start."""

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
from scoper.sources.audit.k8s_audit import SOURCE
from scoper.sources.audit.k8s_identities import jwt_claims
from scoper.sources.base import ParseContext

DATA = Path(__file__).resolve().parents[2] / "data" / "k8s-audit"
NAME = "identities.jsonl"
LINES = (DATA / NAME).read_text().splitlines()
TOKEN = json.loads(LINES[2])["responseObject"]["status"]["token"]  # the kubelet's TokenRequest
JTI = "JTI=4c1d7e2a-9b3f-4e58-a6d0-2f8c1b7e9a31"
ALICE_JTI = "JTI=b7e2c9d1-0a3f-4b6e-9c8d-7f1e2a3b4c5d"
PROXY = "ml/litellm-proxy-6b7c9f8d4-qx4zt"
BATCH = "ml/batch-28541760-v9k2m"
WORKER = "ml/worker-5f6d7c8b9-h7j8k"
PLANTED = [
    "PLANTEDk8sJWTsignature0123456789abcdefghijklmnop",
    "sk-PLANTEDk8sARGsecret0123456789abcdef",
]
Row = tuple[object, ...]


def parse(name: str = NAME) -> Records:
    return SOURCE.parse(DATA / name, ParseContext(name))


def rows(links: list[IdentityLink]) -> list[Row]:
    return sorted(
        (
            k.origin.line,
            k.rule,
            k.source.kind,
            k.source.value,
            k.target.kind,
            k.target.value,
            k.derived,
            k.session_id,
        )
        for k in links
    )


def test_service_account_uses_carry_token_id_and_bound_pod() -> None:
    uses = [u for u in parse().credential_uses if u.key_id == "system:serviceaccount:ml:litellm"]
    assert [(u.origin.line, u.token_id, u.bound_to, u.source_ip, u.service) for u in uses] == [
        (5, JTI, f"pod:{PROXY}", "10.244.3.17", "k8s"),
        (6, JTI, f"pod:{PROXY}", "10.244.3.17", "k8s"),
        (8, JTI, f"pod:{PROXY}", "10.244.3.17", "k8s"),  # refused (403), still a use
    ]
    assert uses[2].outcome == "HTTP 403"
    controller = parse().credential_uses[0]  # a controller's token without a credential id
    assert (controller.token_id, controller.bound_to, controller.service) == (None, None, "k8s")


def test_token_id_owner_and_minted_for_once_per_file() -> None:
    token = Alias("token-id", JTI)
    links = [k for k in parse().identity_links if k.source == token]
    assert rows(links) == [
        (3, "minted-for", "token-id", JTI, "pod", PROXY, False, None),  # TokenRequest first
        (5, "owner", "token-id", JTI, "k8s-sa", "ml/litellm", False, None),
    ]  # three uses show both pairs: each kept once, at the first line showing it
    owner = next(k for k in links if k.rule == "owner")
    assert (owner.confidence, owner.ts) == (
        "confirmed",
        datetime(2026, 3, 24, 12, 1, 10, tzinfo=UTC),
    )
    assert (
        owner.fact
        == f"Kubernetes API server: {JTI} authenticates as system:serviceaccount:ml:litellm"
    )


def test_kubelet_token_request_with_token_in_the_response() -> None:
    records = parse()
    links = [k for k in records.identity_links if k.origin.line == 3]
    assert rows(links) == [
        (3, "exchange", "k8s-sa", "ml/litellm", "token-id", JTI, True, None),
        (3, "minted-for", "token-id", JTI, "pod", PROXY, False, None),
    ]
    fact = f"TokenRequest: system:node:gke-node-3 got {JTI} for ml/litellm bound to pod {PROXY}"
    assert {k.fact for k in links} == {fact}
    assert {k.ts for k in links} == {datetime(2026, 3, 24, 12, 0, 2, 100000, tzinfo=UTC)}
    token = next(c for c in records.credentials if c.origin.line == 3)
    assert (token.name, token.kind, token.session_id, token.key_id, token.path) == (
        "ml/litellm",
        "k8s-service-account-token",
        f"k8s:{PROXY}",
        "system:serviceaccount:ml:litellm",
        "/var/run/secrets/kubernetes.io/serviceaccount/token",  # the kubelet mounts it
    )
    assert token.fingerprint == ParseContext(NAME).fingerprint(TOKEN)


def test_token_request_by_a_user_uses_the_issued_credential_id() -> None:
    records = parse()
    assert rows([k for k in records.identity_links if k.origin.line == 7]) == [
        (7, "exchange", "k8s-sa", "ml/litellm", "token-id", ALICE_JTI, True, None),
        (7, "minted-for", "token-id", ALICE_JTI, "pod", PROXY, False, None),
    ]  # no held:k8s: alice holds that token, not the pod
    alice = next(c for c in records.credentials if c.origin.line == 7)
    assert (alice.fingerprint, alice.path) == (None, None)


def test_kubelet_token_request_without_token_or_id() -> None:
    links = [k for k in parse().identity_links if k.origin.line == 10]
    assert rows(links) == [
        (10, "minted-for", "held", "k8s", "pod", WORKER, False, f"k8s:{WORKER}"),
        (10, "owner", "held", "k8s", "k8s-sa", "ml/worker", False, f"k8s:{WORKER}"),
    ]
    assert links[0].fact == (
        f"TokenRequest: system:node:gke-node-4: pod {WORKER} holds the service-account token "
        "minted for it"
    )


def test_refused_token_request_links_nothing() -> None:
    records = parse()
    assert not [k for k in records.identity_links if k.origin.line == 8]
    assert not [c for c in records.credentials if c.origin.line == 8]


def test_pod_session_holds_its_mounted_token() -> None:
    records = parse()
    held = [k for k in records.identity_links if k.source == Alias("held", "k8s")]
    assert rows(held) == [
        (1, "minted-for", "held", "k8s", "pod", PROXY, False, f"k8s:{PROXY}"),
        (1, "owner", "held", "k8s", "k8s-sa", "ml/litellm", False, f"k8s:{PROXY}"),
        (10, "minted-for", "held", "k8s", "pod", WORKER, False, f"k8s:{WORKER}"),
        (10, "owner", "held", "k8s", "k8s-sa", "ml/worker", False, f"k8s:{WORKER}"),
    ]  # the batch pod sets automountServiceAccountToken: false
    assert {k.ts for k in held if k.origin.line == 1} == {
        datetime(2026, 3, 24, 12, 0, 0, 250000, tzinfo=UTC)
    }
    # the kubelet's TokenRequest already stands for the proxy's mounted token; none for batch
    assert not [c for c in records.credentials if c.name.startswith("serviceaccount token")]


def test_mounted_token_credential_without_a_token_request() -> None:
    records = parse("eventlist.json")
    (mounted,) = [c for c in records.credentials if c.name.startswith("serviceaccount token")]
    assert (
        mounted.name,
        mounted.kind,
        mounted.harvest_class,
        mounted.session_id,
        mounted.path,
        mounted.first_seen,
        mounted.origin.line,
        mounted.fingerprint,
    ) == (
        "serviceaccount token ml/trainer",
        "k8s-service-account-token",
        "k8s-token",
        "k8s:ml/trainer-7d9f8c6b5-x2kqp",
        "/var/run/secrets/kubernetes.io/serviceaccount/token",
        datetime(2026, 3, 24, 10, 29, 58, 100000, tzinfo=UTC),
        6,
        None,
    )
    assert rows([k for k in records.identity_links if k.source.kind == "held"]) == [
        (
            6,
            "minted-for",
            "held",
            "k8s",
            "pod",
            "ml/trainer-7d9f8c6b5-x2kqp",
            False,
            mounted.session_id,
        ),
        (6, "owner", "held", "k8s", "k8s-sa", "ml/trainer", False, mounted.session_id),
    ]


def test_automount_false_makes_no_mounted_token() -> None:
    line = json.loads(LINES[8])  # the batch pod alone
    records = parse_bytes(SOURCE, json.dumps(line).encode(), "batch.jsonl")
    assert records.credentials == [] and records.identity_links == []
    line["requestObject"]["spec"]["automountServiceAccountToken"] = True
    line["responseObject"]["spec"]["automountServiceAccountToken"] = True
    records = parse_bytes(SOURCE, json.dumps(line).encode(), "batch.jsonl")
    assert [c.name for c in records.credentials] == ["serviceaccount token ml/batch"]
    assert len(records.identity_links) == 2


def test_pod_address_from_a_later_kubelet_status_patch() -> None:
    sessions = {s.session_id: s for s in parse().sessions}
    assert sessions[f"k8s:{PROXY}"].address == "10.244.3.17"  # line 4, after the create
    assert sessions[f"k8s:{BATCH}"].address is None
    native = Path(__file__).resolve().parents[3] / "fixtures/incident-native/k8s"
    records = SOURCE.parse(native / "kube-apiserver-audit.log", ParseContext("k8s.log"))
    assert {s.session_id: s.address for s in records.sessions} == {
        "k8s:prod/llm-gateway-7d9f6b8c5-x2kqp": "10.244.1.37",
        "k8s:prod/billing-5c2a7e9d4-m4nzt": "10.244.2.12",
    }


def test_python_starts_from_container_commands() -> None:
    events = parse().events
    assert [
        (e.origin.line, e.session_id, e.kind, e.program, e.interpreter, e.command, e.detail)
        for e in events
        if e.session_id == f"k8s:{PROXY}"
    ] == [
        (
            1,
            f"k8s:{PROXY}",
            "exec",
            "litellm",
            "python",
            "litellm --config /etc/litellm/config.yaml --port 4000 --api_key ***",
            {"container": "proxy", "derived": "pod spec"},
        ),
        (
            1,
            f"k8s:{PROXY}",
            "exec",
            "serve-model",  # /app/.venv/bin/serve-model: a virtualenv's console script
            "python",
            "/app/.venv/bin/serve-model --port 8080",
            {"container": "model", "derived": "pod spec"},
        ),
    ]  # envoy (no command: the image entrypoint) and nginx (not Python) start nothing
    start = datetime(2026, 3, 24, 12, 0, 0, 250000, tzinfo=UTC)
    assert {(e.ts, e.host) for e in events if e.session_id == f"k8s:{PROXY}"} == {
        (start, "gke-node-3")
    }


def test_python_starts_through_a_shell_and_an_interpreter() -> None:
    events = [e for e in parse().events if e.session_id == f"k8s:{BATCH}"]
    init = "sh -c pip install -q litellm==1.82.8 && exec python -m app.warmup"
    assert [
        (e.kind, e.program, e.interpreter, e.module, e.package, e.version, e.command)
        for e in events
    ] == [
        ("exec", "sh", None, None, None, None, init),
        ("exec", "pip", "python", None, None, None, init),
        ("install", "pip", None, None, "litellm", "1.82.8", init),
        ("exec", "python", "python", None, None, None, init),
        ("import", "python", None, "app.warmup", None, None, init),
        ("exec", "python", "python", None, None, None, "python3.12 -m batch.run --date 2026-03-24"),
        (
            "import",
            "python",
            None,
            "batch.run",
            None,
            None,
            "python3.12 -m batch.run --date 2026-03-24",
        ),
    ]
    assert {e.origin.line for e in events} == {9}


def test_pods_without_commands_start_nothing() -> None:
    for name in ("audit.jsonl", "eventlist.json", "falco-create_nginx_pod_privileged.json"):
        assert not [e for e in parse(name).events if e.detail.get("derived") == "pod spec"], name


def test_the_older_sample_token_is_fingerprinted_and_has_no_jti() -> None:
    records = parse("audit.jsonl")
    (token,) = [c for c in records.credentials if c.kind == "k8s-service-account-token"]
    assert token.fingerprint and token.fingerprint.startswith("fp:")
    assert not [k for k in records.identity_links if k.rule == "exchange"]  # no jti, no id
    assert [(u.origin.line, u.token_id) for u in records.credential_uses if u.token_id] == [
        (7, "JTI=6f0e1d2c-3b4a-5968-7a8b-9c0d1e2f3a4b"),
        (12, "JTI=6f0e1d2c-3b4a-5968-7a8b-9c0d1e2f3a4b"),
    ]


def test_jwt_claims_decoded_without_verification() -> None:
    claims = jwt_claims(TOKEN)
    assert claims["jti"] == JTI.removeprefix("JTI=")
    assert claims["kubernetes.io"]["pod"]["name"] == PROXY.partition("/")[2]
    for bad in ("", "a.b", "a.!!!.c", "a." + "e30" * 30000 + ".c", "x.bm90IGpzb24.y", "x.WzFd.y"):
        assert jwt_claims(bad) == {}, bad


def test_no_token_or_planted_value_is_stored(tmp_path: Path) -> None:
    assert_no_secrets(parse(), [TOKEN, *PLANTED])
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(DATA / NAME), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        listed = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        dump = "\n".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for (t,) in listed)
        (links,) = con.execute("SELECT count(*) FROM identity_links").fetchone() or (0,)
    assert links == len(parse().identity_links) == 9
    for secret in (TOKEN, *PLANTED):
        assert secret not in dump and secret[8:28] not in dump
        assert all(secret.encode() not in p.read_bytes() for p in tmp_path.iterdir())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=line_mutations((DATA / NAME).read_bytes()))
def test_fuzz_mutated_identities_sample(payload: bytes) -> None:
    assert_only_input_errors(SOURCE, payload, NAME)

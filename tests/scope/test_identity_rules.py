"""Credential identities (docs/identities.md): each link rule, descendants, uses through any
name, and the decoys that must stay out. Records are loaded as readers would emit them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import scoper
from scoper.errors import InputError
from scoper.model import (
    Alias,
    Credential,
    CredentialUse,
    Event,
    IdentityLink,
    Origin,
    Records,
    Session,
)
from scoper.scope.result import CredentialFinding, ScopeResult
from scoper.settings import Settings
from scoper.store.load import load_records

F = "evidence.log"


def at(hhmm: str) -> datetime:
    h, m = hhmm.split(":")
    return datetime(2026, 3, 24, int(h), int(m), tzinfo=UTC)


def o(line: int) -> Origin:
    return Origin(F, line)


def exposed_session(sid: str, host: str, start: str = "11:00", end: str = "11:30") -> Records:
    """A session that installs litellm 1.82.8 at start+5 and starts Python at start+10."""
    t0 = at(start)
    return Records(
        sessions=[
            Session(
                sid,
                o(1),
                host=host,
                kind="ci",
                started_at=t0,
                ended_at=at(end),
                environment="/venv",
            )
        ],
        events=[
            Event(
                t0.replace(minute=t0.minute + 5),
                "install",
                o(2),
                sid,
                host,
                "PyPI",
                "litellm",
                "1.82.8",
                environment="/venv",
            ),
            Event(
                t0.replace(minute=t0.minute + 10),
                "exec",
                o(3),
                sid,
                host,
                environment="/venv",
                program="python",
            ),
        ],
    )


def run(tmp_path: Path, *parts: Records, identities: Path | None = None) -> ScopeResult:
    merged = Records()
    for part in parts:
        for name in merged.__slots__:
            getattr(merged, name).extend(getattr(part, name))
    settings = Settings(db=str(tmp_path / "s.duckdb"), fingerprint_key="k")
    with scoper.Store.open(settings) as store:
        store.con.execute(
            "INSERT INTO ingests (ingest_id, path, sha256, format, ingested_at, records, "
            "skipped, status) VALUES (1, ?, 'x', 'test', now(), 1, 0, 'ok')",
            [F],
        )
        load_records(store.con, 1, "t", merged)
        return store.scope("litellm-2025", identities)


def by_name(result: ScopeResult) -> dict[str, CredentialFinding]:
    return {c.name: c for c in result.credentials}


def aliases(c: CredentialFinding) -> set[tuple[str, str, str, str]]:
    return {(a.kind, a.value, a.rule, a.confidence) for a in c.aliases}


def aws_use(
    line: int, ts: str, key: str, principal: str, ip: str, action: str = "GetObject"
) -> CredentialUse:
    return CredentialUse(
        at(ts), o(line), key_id=key, principal=principal, source_ip=ip, action=action, service="aws"
    )


def test_same_fingerprint_is_one_identity_held_in_two_places(tmp_path: Path) -> None:
    a = exposed_session("s1", "h1")
    other = Records(
        credentials=[
            Credential("PYPI_TOKEN", "pypi-token", o(10), session_id="s1", fingerprint="fp:aa"),
            Credential(
                "TWINE_PASSWORD",
                "pypi-token",
                o(11),
                session_id="s9",
                host="h9",
                fingerprint="fp:aa",
            ),
        ]
    )
    creds = run(tmp_path, a, other).credentials
    assert [c.identity for c in creds] == ["fingerprint:fp:aa"]
    token = creds[0]
    assert ("env-name", "TWINE_PASSWORD", "same-fingerprint", "confirmed") in aliases(token)
    assert {(p.where, p.name, p.session_id) for p in token.lives_in} == {
        ("ci-secret", "PYPI_TOKEN", "s1"),
        ("session-env", "TWINE_PASSWORD", "s9"),
    }
    assert token.sessions == ("s1",)
    assert token.rotate.startswith("Revoke the PyPI API token")


def test_printed_identity_and_use_while_held_link_the_key_then_its_later_use(
    tmp_path: Path,
) -> None:
    carol = "arn:aws:iam::111122223333:user/carol"
    dave = "arn:aws:iam::111122223333:user/dave"
    records = Records(
        identity_links=[
            IdentityLink(
                "printed-identity",
                Alias("held", "aws"),
                Alias("principal", carol),
                o(20),
                session_id="s1",
                ts=at("11:02"),
            )
        ],
        credential_uses=[
            aws_use(30, "11:20", "AKIACAROL", carol, "198.51.100.7"),  # while s1 held it
            aws_use(31, "13:40", "AKIACAROL", carol, "46.151.182.203"),  # the attacker
            aws_use(32, "11:21", "AKIADAVE", dave, "198.51.100.50"),  # decoy, same hours
            aws_use(33, "13:41", "AKIADAVE", dave, "198.51.100.50"),
        ],
    )
    creds = run(tmp_path, exposed_session("s1", "h1"), records).credentials
    assert [c.identity for c in creds] == ["key-id:AKIACAROL"]
    aws = creds[0]
    assert aliases(aws) >= {
        ("principal", carol, "printed-identity", "confirmed"),
        ("key-id", "AKIACAROL", "used-while-held", "likely"),
    }
    assert aws.confidence == "confirmed" and aws.first_exposed == at("11:10").replace(tzinfo=None)
    use = aws.used_after_exposure
    assert [(u.source_ip, u.new_source_ip, u.indicator, u.confidence) for u in use] == [
        ("198.51.100.7", True, False, "likely"),
        ("46.151.182.203", True, True, "likely"),
    ]
    assert "carol" in aws.rotate and "AKIACAROL" in aws.rotate
    assert "AKIADAVE" not in repr(creds)


def test_a_shared_principal_never_merges_two_keys(tmp_path: Path) -> None:
    ci = "arn:aws:iam::111122223333:user/ci"
    records = Records(
        credentials=[
            Credential(
                "AWS_ACCESS_KEY_ID",
                "aws-access-key",
                o(10),
                session_id="s1",
                fingerprint="fp:k1",
                key_id="AKIAONE",
            )
        ],
        identity_links=[
            IdentityLink("owner", Alias("key-id", "AKIAONE"), Alias("principal", ci), o(40)),
            IdentityLink("owner", Alias("key-id", "AKIATWO"), Alias("principal", ci), o(41)),
        ],
        credential_uses=[aws_use(42, "12:00", "AKIATWO", ci, "203.0.113.1")],
    )
    creds = run(tmp_path, exposed_session("s1", "h1"), records).credentials
    assert [c.identity for c in creds] == ["key-id:AKIAONE"]
    assert ("principal", ci, "owner", "confirmed") in aliases(creds[0])
    assert creds[0].used_after_exposure == ()


def test_exchanges_make_descendants_while_held_and_after_exposure_only(tmp_path: Path) -> None:
    sub = "repo:acme/gateway:ref:refs/heads/main"
    held = IdentityLink(
        "minted-for",
        Alias("held", "github-oidc"),
        Alias("oidc-subject", sub),
        o(10),
        session_id="s1",
    )

    def trade(line: int, ts: str, key: str) -> IdentityLink:
        return IdentityLink(
            "exchange",
            Alias("oidc-subject", sub),
            Alias("key-id", key),
            o(line),
            derived=True,
            ts=at(ts),
        )

    records = Records(
        credentials=[
            Credential(
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                "github-oidc",
                o(9),
                session_id="s1",
                harvest_class="env",
            )
        ],
        identity_links=[
            held,
            trade(11, "10:30", "ASIABEFORE"),  # before the job: not this job's, not exposed
            trade(12, "11:02", "ASIAJOB"),  # during the job, before exposure at 11:10
            trade(13, "11:31", "ASIATHIEF"),  # the stolen token redeemed later
        ],
        credential_uses=[
            aws_use(20, "11:15", "ASIAJOB", "arn:role", "20.42.10.5"),
            aws_use(21, "11:40", "ASIATHIEF", "arn:role", "83.142.209.11", "ListBuckets"),
            aws_use(22, "11:41", "ASIABEFORE", "arn:role", "20.42.10.9"),
        ],
    )
    creds = {c.identity: c for c in run(tmp_path, exposed_session("s1", "h1"), records).credentials}
    parent = "env-name:ACTIONS_ID_TOKEN_REQUEST_TOKEN@s1"
    assert set(creds) == {parent, "key-id:ASIAJOB", "key-id:ASIATHIEF"}
    job, thief = creds["key-id:ASIAJOB"], creds["key-id:ASIATHIEF"]
    assert job.derived_from == parent and thief.derived_from == parent
    assert job.first_exposed == at("11:10").replace(tzinfo=None)
    assert thief.first_exposed == at("11:31").replace(tzinfo=None)
    assert [(u.source_ip, u.indicator) for u in thief.used_after_exposure] == [
        ("83.142.209.11", True)
    ]
    assert ("oidc-subject", sub, "minted-for", "confirmed") in aliases(creds[parent])
    assert "Revoke the active sessions" in thief.rotate
    assert creds[parent].sessions == ("s1",)


def test_pod_token_through_pod_name_and_token_id(tmp_path: Path) -> None:
    pod = Records(
        sessions=[
            Session(
                "k8s:ml/scorer",
                o(1),
                host="node-1",
                kind="pod",
                started_at=at("11:40"),
                address="10.0.3.17",
                image_digest="sha256:" + "a" * 64,
            )
        ],
        events=[
            Event(
                at("11:40"), "exec", o(2), "k8s:ml/scorer", program="python", interpreter="python"
            ),
            Event(
                at("11:39"), "install", o(3), "k8s:ml/scorer", "node-1", "PyPI", "litellm", "1.82.8"
            ),
        ],
        credentials=[
            Credential(
                "serviceaccount token ml/scorer",
                "k8s-service-account-token",
                o(4),
                harvest_class="k8s-token",
                session_id="k8s:ml/scorer",
                path="/var/run/secrets/kubernetes.io/serviceaccount/token",
            )
        ],
        identity_links=[
            IdentityLink(
                "minted-for",
                Alias("held", "k8s"),
                Alias("pod", "ml/scorer"),
                o(4),
                session_id="k8s:ml/scorer",
            ),
            IdentityLink(
                "minted-for", Alias("token-id", "JTI=7a1c"), Alias("pod", "ml/scorer"), o(5)
            ),
            IdentityLink(
                "owner", Alias("token-id", "JTI=7a1c"), Alias("k8s-sa", "ml/scorer"), o(5)
            ),
            IdentityLink(
                "owner", Alias("token-id", "JTI=b111"), Alias("k8s-sa", "ml/billing"), o(6)
            ),
        ],
        credential_uses=[
            CredentialUse(
                at("11:45"),
                o(7),
                principal="system:serviceaccount:ml:scorer",
                source_ip="10.0.3.17",
                service="k8s",
                token_id="JTI=7a1c",
            ),
            CredentialUse(
                at("12:30"),
                o(8),
                principal="system:serviceaccount:ml:scorer",
                source_ip="83.142.209.11",
                service="k8s",
                token_id="JTI=7a1c",
                action="list secrets",
            ),
            CredentialUse(
                at("12:31"),
                o(9),
                principal="system:serviceaccount:ml:billing",
                source_ip="10.0.3.20",
                service="k8s",
                token_id="JTI=b111",
            ),
        ],
    )
    creds = run(tmp_path, pod).credentials
    assert len(creds) == 1
    token = creds[0]
    assert aliases(token) >= {
        ("token-id", "JTI=7a1c", "minted-for", "confirmed"),
        ("pod", "ml/scorer", "minted-for", "confirmed"),
        ("k8s-sa", "ml/scorer", "owner", "confirmed"),
    }
    assert [(u.source_ip, u.new_source_ip, u.indicator) for u in token.used_after_exposure] == [
        ("10.0.3.17", False, False),  # the pod's own address
        ("83.142.209.11", True, True),
    ]
    assert [p.where for p in token.lives_in] == ["k8s-sa-token"]
    assert "JTI=b111" not in repr(creds)


def test_a_responder_mapping_links_what_no_log_shows(tmp_path: Path) -> None:
    mapping = tmp_path / "identities.csv"
    mapping.write_text(
        "name,alias_kind,alias_value,note\n"
        "DEPLOY_AWS_KEY,key-id,AKIADEPLOY,deploy-bot key from the vault\n"
    )
    records = Records(
        credentials=[Credential("DEPLOY_AWS_KEY", "aws-access-key", o(10), session_id="s1")],
        credential_uses=[aws_use(11, "14:10", "AKIADEPLOY", "arn:deploy", "46.151.182.203")],
    )
    creds = run(tmp_path, exposed_session("s1", "h1"), records, identities=mapping).credentials
    assert [c.identity for c in creds] == ["key-id:AKIADEPLOY"]
    mapped = next(a for a in creds[0].aliases if a.kind == "key-id")
    assert (mapped.rule, mapped.confidence, mapped.evidence[0].file, mapped.evidence[0].line) == (
        "mapping",
        "confirmed",
        str(mapping),
        2,
    )
    assert [u.indicator for u in creds[0].used_after_exposure] == [True]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("name,alias_kind,alias_value\nX,colour,blue\n", "line 2"),
        ("name,alias\nX,y\n", "line 1"),
        ("name,alias_kind,alias_value\n,key-id,AKIA\n", "line 2"),
    ],
)
def test_a_bad_mapping_names_the_file_and_line(tmp_path: Path, text: str, place: str) -> None:
    mapping = tmp_path / "identities.csv"
    mapping.write_text(text)
    with pytest.raises(InputError, match=f"identities.csv: {place}"):
        run(tmp_path, exposed_session("s1", "h1"), identities=mapping)


def test_yaml_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "identities.yaml"
    mapping.write_text("identities:\n  - name: DEPLOY_AWS_KEY\n    key-id: AKIADEPLOY\n")
    records = Records(
        credentials=[Credential("DEPLOY_AWS_KEY", "aws-access-key", o(10), session_id="s1")]
    )
    creds = run(tmp_path, exposed_session("s1", "h1"), records, identities=mapping).credentials
    assert [(c.identity, c.aliases[-1].evidence[0].line) for c in creds] == [
        ("key-id:AKIADEPLOY", 2)
    ]


def test_a_host_file_is_exposed_when_the_payload_ran_on_its_host(tmp_path: Path) -> None:
    records = Records(
        credentials=[
            Credential(
                "credentials",
                "aws-credentials-file",
                o(10),
                harvest_class="cloud-files",
                host="build-7",
                path="/home/ci/.aws/credentials",
                first_seen=at("09:00"),
            ),
            Credential(
                "credentials",
                "aws-credentials-file",
                o(11),
                harvest_class="cloud-files",
                host="other",
                path="/home/ci/.aws/credentials",
                first_seen=at("09:00"),
            ),
        ]
    )
    creds = run(tmp_path, exposed_session("s1", "build-7"), records).credentials
    assert [(c.identity, [p.where for p in c.lives_in]) for c in creds] == [
        ("file:/home/ci/.aws/credentials@build-7", ["host-file"])
    ]
    assert "Rotate every key in /home/ci/.aws/credentials" in creds[0].rotate

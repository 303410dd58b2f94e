"""The one redaction policy: the attacker-minded tester's shapes, and what must stay readable."""

from __future__ import annotations

import pytest

from scoper.sources.audit.commands.redaction import (
    is_secret_name,
    redact_command,
    redact_detail,
    redact_text,
    redact_url,
    redact_user_agent,
)
from scoper.sources.audit.commands.secret_shapes import shape_rules

AWS = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
GHP = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
SK = "sk-proj-" + "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2Yz3"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            f"aws configure set aws_secret_access_key {AWS}",
            "aws configure set aws_secret_access_key ***",
        ),
        (f"echo {AWS} | aws configure", "echo *** | aws configure"),
        ("s3cmd --secret-key Hunter2Hunter2 ls", "s3cmd --secret-key *** ls"),
        ("mysql -u root -pSuperSecret1 db", "mysql -u root -p*** db"),
        ("docker login -u ci -p Hunter2pw reg.io", "docker login -u ci -p *** reg.io"),
        ("docker login --password Hunter2pw reg.io", "docker login --password *** reg.io"),
        ("curl -u alice:Hunter2pw https://x.io", "curl -u alice:*** https://x.io"),
        ("kubectl --token=abcdefg12345 get pods", "kubectl --token=*** get pods"),
        ("vault login s.abcdefghijklmnop", "vault login ***"),
        (
            "curl https://hooks.slack.com/services/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",
            "curl https://hooks.slack.com/***",
        ),
        (
            'git -c http.extraheader="AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0" fetch',
            'git -c http.extraheader="AUTHORIZATION: basic ***" fetch',
        ),
        (
            "git clone https://ci:Hunter2pw@git.acme.io/a.git",
            "git clone https://***@git.acme.io/a.git",
        ),
        (f"python eval.py {SK}", "python eval.py ***"),
        (f"gh repo clone x --token {GHP}", "gh repo clone x --token ***"),
        (
            "npm config set //registry.npmjs.org/:_authToken=abc123",
            "npm config set //registry.npmjs.org/:_authToken=***",
        ),
        ("gh auth login --with-token <<< Hunter2pw", "gh auth login --with-token <<< ***"),
        (
            "echo Hunter2pw | docker login --password-stdin",
            "echo *** | docker login --password-stdin",
        ),
        ("curl -H 'Cookie: s=1; t=2' https://x", "curl -H 'Cookie: ***' https://x"),
        ("curl -H 'X-Api-Key: abc123' https://x", "curl -H 'X-Api-Key: ***' https://x"),
        (
            "curl 'https://x/y?access_token=abc&page=2'",
            "curl 'https://x/y?access_token=***&page=2'",
        ),
        ("sh -c 'vault login Hunter2pw && ls'", "sh -c 'vault login *** && ls'"),
        ("PGPASSWORD=Hunter2pw psql -h db", "PGPASSWORD=*** psql -h db"),
    ],
)
def test_tester_shapes_are_masked(command: str, expected: str) -> None:
    assert redact_command(command) == expected


@pytest.mark.parametrize(
    "command",
    [
        "docker login -u ci --password-stdin",
        "pip install litellm==1.82.7 --no-deps",
        "pytest -k test_tokens --max-tokens 100",
        "gh auth login --with-token < token.txt",
        "git clone ssh://git@github.com/acme/app.git",
        "python -m pip install -r requirements.txt --index-url https://pypi.org/simple",
        "auditctl -k exec -w /etc/passwd",
        "git checkout 0123456789abcdef0123456789abcdef01234567",
    ],
)
def test_ordinary_commands_stay_as_they_are(command: str) -> None:
    assert redact_command(command) == command


def test_detail_is_walked_and_secret_keys_masked() -> None:
    detail = {"note": f"ran with {GHP}", "nested": [{"x": SK}], "password": 1234, "key": "exec"}
    assert redact_detail(detail) == {
        "note": "ran with ***",
        "nested": [{"x": "***"}],
        "password": "***",
        "key": "exec",
    }
    exec_id = "Z2tlLW1pY2hpLTIyMDM4LWRlZmF1bHQtcG9vbC00MzczMGZhYi1sOHpyOjEzNjY1ODIyNjI0ODU2"
    assert redact_detail({"exec_id": exec_id}) == {"exec_id": exec_id}


def test_urls_user_agents_and_text() -> None:
    assert redact_url("git+ssh://git@github.com/a/b") == "git+ssh://***@github.com/a/b"
    assert redact_url("https://x/p?sig=abc&sv=1") == "https://x/p?sig=***&sv=1"
    assert redact_user_agent(f"aws-cli/2.17 token {GHP}") == "aws-cli/2.17 token ***"
    assert redact_user_agent(None) is None
    assert redact_text('{"api_key": "abc123xyz"}') == '{"api_key": "***"}'
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END RSA PRIVATE KEY-----"
    assert redact_text(f"key:\n{pem}\nend") == "key:\n***\nend"


def test_secret_names() -> None:
    for name in ("--password", "api_key", "authToken", "AWS_SECRET_ACCESS_KEY", "X-Amz-Signature"):
        assert is_secret_name(name), name
    for name in ("key", "keys", "max_tokens", "author", "--token-file", "secret_name", "exec_id"):
        assert not is_secret_name(name), name


def test_shape_rules_are_data_with_keywords() -> None:
    rules = shape_rules()
    assert len(rules) >= 60
    assert all(rule.keywords and all(w == w.lower() for w in rule.keywords) for rule in rules)


@pytest.mark.parametrize(
    "unit", ["/a", "a@", "Ab1+", "a.", "--a-", "x-a-", "x-key-", "a;", "eyJa.", "a:", "?a=b&"]
)
def test_redaction_stays_linear_on_long_adversarial_text(unit: str) -> None:
    import time

    text = unit * (40_000 // len(unit))
    start = time.perf_counter()
    redact_command(text)
    redact_url(text)
    assert time.perf_counter() - start < 5  # quadratic backtracking took 5 to 50 s here

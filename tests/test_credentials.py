"""Credential recognition by env var name, path and value shape."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoper.sources.audit.commands.credentials import (
    HARVEST_CLASSES,
    classify_env,
    classify_path,
    classify_value,
    key_id_of,
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AWS_ACCESS_KEY_ID", "aws-access-key"),
        ("AWS_SECRET_ACCESS_KEY", "aws-access-key"),
        ("AWS_SESSION_TOKEN", "aws-access-key"),
        ("GITHUB_TOKEN", "github-token"),
        ("GH_TOKEN", "github-token"),
        ("RELEASE_PAT", "github-token"),
        ("OPENAI_API_KEY", "openai-api-key"),
        ("ANTHROPIC_API_KEY", "anthropic-api-key"),
        ("PYPI_TOKEN", "pypi-token"),
        ("TWINE_PASSWORD", "pypi-token"),
        ("NPM_TOKEN", "npm-token"),
        ("DATABASE_URL", "database-password"),
        ("POSTGRES_PASSWORD", "database-password"),
        ("KUBECONFIG", "kubeconfig"),
        ("GOOGLE_APPLICATION_CREDENTIALS", "gcp-service-account"),
        ("AZURE_CLIENT_SECRET", "azure-secret"),
        ("AZURE_STORAGE_CONNECTION_STRING", "azure-secret"),
        ("STRIPE_SECRET_KEY", "generic-secret"),
        ("SLACK_BOT_TOKEN", "generic-secret"),
        ("SENTRY_API_KEY", "generic-secret"),
        ("JWT_SECRET", "generic-secret"),
        ("github_token", "github-token"),
    ],
)
def test_classify_env_credentials(name: str, kind: str) -> None:
    assert classify_env(name) == (kind, "env")


@pytest.mark.parametrize(
    "name",
    [
        "PATH",
        "HOME",
        "USER",
        "LANG",
        "PWD",
        "SHELL",
        "TERM",
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "GPG_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "",
        "VIRTUAL_ENV",
    ],
)
def test_classify_env_not_credentials(name: str) -> None:
    assert classify_env(name) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("~/.ssh/id_rsa", ("ssh-key", "ssh")),
        ("/home/alice/.ssh/id_ed25519", ("ssh-key", "ssh")),
        ("/root/.aws/credentials", ("aws-credentials-file", "cloud-files")),
        (
            "/home/a/.config/gcloud/application_default_credentials.json",
            ("gcp-application-default-credentials", "cloud-files"),
        ),
        ("/home/a/.config/gcloud/credentials.db", ("gcloud-credentials", "cloud-files")),
        ("/home/a/.kube/config", ("kubeconfig", "cloud-files")),
        (
            "/var/run/secrets/kubernetes.io/serviceaccount/token",
            ("k8s-service-account-token", "k8s-token"),
        ),
        (
            "/run/secrets/kubernetes.io/serviceaccount/token",
            ("k8s-service-account-token", "k8s-token"),
        ),
        ("/srv/app/.env", ("dotenv", "dotenv")),
        ("/srv/app/.env.production", ("dotenv", "dotenv")),
        ("/home/a/.docker/config.json", ("docker-config", "docker-config")),
        ("/home/a/.git-credentials", ("git-credentials", "git-credentials")),
        ("/home/a/.netrc", ("netrc", "git-credentials")),
        ("/home/a/.bash_history", ("shell-history", "shell-history")),
        ("/home/a/.zsh_history", ("shell-history", "shell-history")),
        ("/home/a/.bitcoin/wallet.dat", ("crypto-wallet", "wallet")),
        ("/home/a/.ethereum/keystore/UTC--2020", ("crypto-wallet", "wallet")),
        ("/home/a/.pgpass", ("pgpass", "database")),
        ("/etc/mysql/my.cnf", ("mysql-config", "database")),
        ("/proc/4242/mem", ("process-memory", "process-memory")),
        ("/proc/4242/environ", ("process-environment", "env")),
        ("/etc/gitlab-runner/config.toml", ("gitlab-runner-config", "ci-secrets")),
        ("C:\\Users\\a\\.aws\\credentials", ("aws-credentials-file", "cloud-files")),
    ],
)
def test_classify_path_credentials(path: str, expected: tuple[str, str]) -> None:
    assert classify_path(path) == expected
    assert expected[1] in HARVEST_CLASSES


@pytest.mark.parametrize(
    "path",
    [
        "/home/a/.ssh/id_rsa.pub",
        "/home/a/.ssh/known_hosts",
        "/home/a/.ssh/config",
        "/srv/app/.env.example",
        "/usr/bin/python3",
        "/etc/passwd",
        "",
        "/home/a/.azure",
        "/home/a/environment",
    ],
)
def test_classify_path_not_credentials(path: str) -> None:
    assert classify_path(path) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("ghp_" + "A1b2" * 9, "github-token"),
        ("github_pat_" + "11ABCDEFG0" * 5, "github-token"),
        ("sk-ant-api03-" + "x" * 40, "anthropic-api-key"),
        ("sk-proj-" + "y" * 40, "openai-api-key"),
        ("AKIAIOSFODNN7EXAMPLE", "aws-access-key"),
        ("ASIAXYZXYZXYZXYZXYZ1", "aws-access-key"),
        ("xoxb-1234567890-abcdef", "slack-token"),
        ("glpat-" + "z" * 20, "gitlab-token"),
        ("npm_" + "a" * 36, "npm-token"),
        ("pypi-AgEIcHlwaS5vcmc" + "Q" * 60, "pypi-token"),
    ],
)
def test_classify_value(value: str, kind: str) -> None:
    assert classify_value(value) == kind


@pytest.mark.parametrize("value", ["sklearn", "sk-", "hello", "", "AKIA123", "ghp_short"])
def test_classify_value_plain(value: str) -> None:
    assert classify_value(value) is None


def test_key_id_of_aws_returns_only_the_public_key_id() -> None:
    assert key_id_of("aws-access-key", "AKIAIOSFODNN7EXAMPLE") == "AKIAIOSFODNN7EXAMPLE"
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert key_id_of("aws-access-key", secret) is None
    assert key_id_of("github-token", "ghp_" + "A1b2" * 9) is None


def _jwt(claims: dict[str, object]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJSUzI1NiJ9.{body}.c2lnbmF0dXJl"


def test_key_id_of_k8s_token_is_service_account_subject() -> None:
    token = _jwt({"sub": "system:serviceaccount:ml:trainer", "jti": "x"})
    assert key_id_of("k8s-service-account-token", token) == "system:serviceaccount:ml:trainer"
    assert key_id_of("k8s-service-account-token", "not.a.jwt") is None


def test_key_id_of_gcp_key_file_is_client_email() -> None:
    key = json.dumps(
        {
            "type": "service_account",
            "private_key": "-----BEGIN PRIVATE KEY-----x",
            "client_email": "ci@proj.iam.gserviceaccount.com",
        }
    )
    assert key_id_of("gcp-service-account", key) == "ci@proj.iam.gserviceaccount.com"


@given(st.text())
def test_classifiers_never_raise(text: str) -> None:
    classify_env(text)
    classify_path(text)
    classify_value(text)
    for kind in ("aws-access-key", "k8s-service-account-token", "gcp-service-account"):
        result = key_id_of(kind, text)
        assert result is None or "PRIVATE" not in result

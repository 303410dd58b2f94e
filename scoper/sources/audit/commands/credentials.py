"""Recognising credentials by environment variable name, file path and value shape.

Parsers call these to turn what they see (an env var name, a watched file, a
value in a log) into a credential ``kind`` (what it is: ``aws-access-key``,
``ssh-key``, ...) and a ``harvest_class`` (how a payload reaches it, one of
:data:`HARVEST_CLASSES`). Nothing here keeps a value: callers fingerprint a
value with ``ctx.fingerprint`` and drop it. :func:`key_id_of` returns only a
*public* identifier (an AWS access key id, a service-account name), never
secret material.
"""

from __future__ import annotations

import base64
import binascii
import json
import re

HARVEST_CLASSES = frozenset(
    {
        "env",
        "ssh",
        "cloud-files",
        "k8s-token",
        "cloud-metadata",
        "dotenv",
        "shell-history",
        "docker-config",
        "git-credentials",
        "wallet",
        "database",
        "ci-secrets",
        "process-memory",
    }
)

_ENV_EXACT: dict[str, str] = {
    "AWS_ACCESS_KEY_ID": "aws-access-key",
    "AWS_SECRET_ACCESS_KEY": "aws-access-key",
    "AWS_SESSION_TOKEN": "aws-access-key",
    "AWS_SECURITY_TOKEN": "aws-access-key",
    "GITHUB_TOKEN": "github-token",
    "GH_TOKEN": "github-token",
    "GH_ENTERPRISE_TOKEN": "github-token",
    "GITHUB_ENTERPRISE_TOKEN": "github-token",
    "OPENAI_API_KEY": "openai-api-key",
    "ANTHROPIC_API_KEY": "anthropic-api-key",
    "PYPI_TOKEN": "pypi-token",
    "PYPI_API_TOKEN": "pypi-token",
    "TWINE_PASSWORD": "pypi-token",
    "UV_PUBLISH_TOKEN": "pypi-token",
    "NPM_TOKEN": "npm-token",
    "NODE_AUTH_TOKEN": "npm-token",
    "DATABASE_URL": "database-password",
    "PGPASSWORD": "database-password",
    "MYSQL_PWD": "database-password",
    "KUBECONFIG": "kubeconfig",
    "GOOGLE_APPLICATION_CREDENTIALS": "gcp-service-account",
    "GITLAB_TOKEN": "gitlab-token",
    "CI_JOB_TOKEN": "gitlab-token",
    "HF_TOKEN": "huggingface-token",
    "HUGGING_FACE_HUB_TOKEN": "huggingface-token",
    "ACTIONS_RUNTIME_TOKEN": "github-actions-token",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "github-actions-token",
}
_ENV_GENERIC_SUFFIXES = (
    "_TOKEN",
    "_SECRET",
    "_API_KEY",
    "_APIKEY",
    "_KEY",
    "_SECRET_KEY",
    "_ACCESS_KEY",
    "_PRIVATE_KEY",
    "_CREDENTIALS",
    "_PASSPHRASE",
    "_AUTH",
)
_ENV_GENERIC_EXACT = frozenset({"TOKEN", "SECRET", "API_KEY", "APIKEY", "PASSWORD", "SECRET_KEY"})
_ENV_NOT_SECRET_SUFFIXES = ("_PUBLIC_KEY", "_PUBLISHABLE_KEY")
_ENV_NOT_SECRET = frozenset({"GPG_KEY", "PYTHON_GPG_KEY", "GPG_KEYS"})  # signing-key fingerprints
_AZURE_SECRET_SUFFIXES = (
    "_SECRET",
    "_KEY",
    "_PASSWORD",
    "_TOKEN",
    "_CONNECTION_STRING",
    "_SAS",
    "_CREDENTIALS",
)


def classify_env(name: str) -> tuple[str, str] | None:
    """``(kind, "env")`` for an environment variable name that holds a credential."""
    upper = name.strip().upper()
    if not upper:
        return None
    kind = _ENV_EXACT.get(upper) or _env_kind_by_shape(upper)
    return (kind, "env") if kind else None


def _env_kind_by_shape(upper: str) -> str | None:
    if upper in _ENV_NOT_SECRET or upper.endswith(_ENV_NOT_SECRET_SUFFIXES):
        return None
    if upper.startswith("AZURE_") and upper.endswith(_AZURE_SECRET_SUFFIXES):
        return "azure-secret"
    if upper.endswith("_PAT") or upper.startswith("GITHUB_PAT"):
        return "github-token"
    if upper.endswith(("_DATABASE_URL", "_PASSWORD", "_PASSWD", "_DB_PASS")):
        return "database-password"
    if upper in _ENV_GENERIC_EXACT or upper.endswith(_ENV_GENERIC_SUFFIXES):
        return "generic-secret"
    return None


_SSH_NOT_KEYS = frozenset(
    {
        "known_hosts",
        "known_hosts.old",
        "authorized_keys",
        "authorized_keys2",
        "config",
        "environment",
        "rc",
        "agent.sock",
    }
)
_HISTORY_FILES = frozenset(
    {
        ".bash_history",
        ".zsh_history",
        ".sh_history",
        ".history",
        ".ash_history",
        ".python_history",
        ".mysql_history",
        ".psql_history",
        ".node_repl_history",
        ".sqlite_history",
        ".rediscli_history",
        "fish_history",
        ".lesshst",
    }
)
_DOTENV_SAMPLES = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist"})
_K8S_TOKEN = re.compile(r"^(?:/var)?/run/secrets/kubernetes\.io/serviceaccount/token$")
_EKS_TOKEN = re.compile(r"^(?:/var)?/run/secrets/eks\.amazonaws\.com/serviceaccount/token$")
_PROC_FILE = re.compile(r"^/proc/(?:\d+|self)(?:/task/\d+)?/(mem|environ)$")

# (substring of the normalised path, kind, harvest class): first match wins.
_PATH_PARTS: tuple[tuple[str, str, str], ...] = (
    ("/.aws/credentials", "aws-credentials-file", "cloud-files"),
    ("/.aws/config", "aws-config", "cloud-files"),
    ("/.aws/sso/cache/", "aws-sso-cache", "cloud-files"),
    ("/.aws/cli/cache/", "aws-cli-cache", "cloud-files"),
    (
        "/.config/gcloud/application_default_credentials.json",
        "gcp-application-default-credentials",
        "cloud-files",
    ),
    ("/.config/gcloud/", "gcloud-credentials", "cloud-files"),
    ("/.azure/", "azure-credentials", "cloud-files"),
    ("/.kube/config", "kubeconfig", "cloud-files"),
    ("/.terraform.d/credentials.tfrc.json", "terraform-token", "cloud-files"),
    ("/.vault-token", "vault-token", "cloud-files"),
    ("/.docker/config.json", "docker-config", "docker-config"),
    ("/.git-credentials", "git-credentials", "git-credentials"),
    ("/.netrc", "netrc", "git-credentials"),
    ("/.config/gh/hosts.yml", "github-cli-token", "git-credentials"),
    ("/.npmrc", "npmrc", "git-credentials"),
    ("/.pypirc", "pypirc", "git-credentials"),
    ("/.pgpass", "pgpass", "database"),
    ("/.my.cnf", "mysql-config", "database"),
    ("/my.cnf", "mysql-config", "database"),
    ("/.bitcoin/", "crypto-wallet", "wallet"),
    ("/.electrum/", "crypto-wallet", "wallet"),
    ("/.ethereum/keystore/", "crypto-wallet", "wallet"),
    ("/.config/solana/", "crypto-wallet", "wallet"),
    ("/.config/exodus/", "crypto-wallet", "wallet"),
    ("/exodus/exodus.wallet/", "crypto-wallet", "wallet"),
    ("/.monero/", "crypto-wallet", "wallet"),
    ("/etc/gitlab-runner/config.toml", "gitlab-runner-config", "ci-secrets"),
    ("/credentials.xml", "jenkins-credentials", "ci-secrets"),
    ("/secrets/master.key", "jenkins-credentials", "ci-secrets"),
)


def classify_path(path: str) -> tuple[str, str] | None:
    """``(kind, harvest_class)`` for a file that holds credentials, else None.

    Home directories are matched anywhere (``~/``, ``/home/u/``, ``/root/``,
    ``/Users/u/``). Package-registry token files (``.npmrc``, ``.pypirc``) count
    as ``git-credentials`` (credentials to repositories); ``/proc/<pid>/mem`` is
    ``process-memory`` and ``/proc/<pid>/environ`` is ``env``.
    """
    norm = path.strip().replace("\\", "/")
    if not norm:
        return None
    if norm.startswith("~"):
        norm = "/" + norm[1:].lstrip("/")
    elif not norm.startswith("/"):
        norm = "/" + norm
    return _classify_special(norm) or _classify_by_part(norm.lower())


def _classify_special(norm: str) -> tuple[str, str] | None:
    base = norm.rsplit("/", 1)[-1]
    parent = norm.rsplit("/", 2)[-2] if norm.count("/") >= 2 else ""
    if _K8S_TOKEN.match(norm):
        return ("k8s-service-account-token", "k8s-token")
    if _EKS_TOKEN.match(norm):
        return ("aws-web-identity-token", "k8s-token")
    proc = _PROC_FILE.match(norm)
    if proc:
        return (
            ("process-memory", "process-memory")
            if proc.group(1) == "mem"
            else ("process-environment", "env")
        )
    if parent == ".ssh" and base and not base.endswith(".pub") and base not in _SSH_NOT_KEYS:
        return ("ssh-key", "ssh")
    if norm.startswith("/etc/ssh/ssh_host_") and norm.endswith("_key"):
        return ("ssh-host-key", "ssh")
    if base == ".env" or (base.startswith(".env.") and base not in _DOTENV_SAMPLES):
        return ("dotenv", "dotenv")
    if base in _HISTORY_FILES:
        return ("shell-history", "shell-history")
    if base == "wallet.dat":
        return ("crypto-wallet", "wallet")
    return None


def _classify_by_part(lower: str) -> tuple[str, str] | None:
    for part, kind, harvest in _PATH_PARTS:
        if part in lower and (not part.endswith("/") or not lower.endswith(part[:-1])):
            return (kind, harvest)
    return None


_AWS_KEY_ID = re.compile(r"^(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}$")
_SA_SUBJECT = re.compile(r"^system:serviceaccount:[a-z0-9.-]+:[a-z0-9.-]+$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def key_id_of(kind: str, value: str) -> str | None:
    """A public identifier derivable from a credential value, or None.

    The AWS access key id itself (``AKIA...``/``ASIA...``; not secret), the
    ``system:serviceaccount:ns:name`` subject of a Kubernetes token, the
    ``client_email`` of a GCP service-account key. Never secret material.
    """
    text = value.strip()
    if _AWS_KEY_ID.match(text):
        return text
    if kind in {"k8s-service-account-token", "k8s-token"}:
        return _jwt_subject(text)
    if kind == "gcp-service-account" and text.startswith("{"):
        return _gcp_client_email(text)
    return None


def _jwt_subject(token: str) -> str | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, binascii.Error, RecursionError):
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    return subject if isinstance(subject, str) and _SA_SUBJECT.match(subject) else None


def _gcp_client_email(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    email = data.get("client_email") if isinstance(data, dict) else None
    return email if isinstance(email, str) and _EMAIL.match(email) else None


_VALUE_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})$"), "github-token"),
    (re.compile(r"^sk-ant-[A-Za-z0-9_-]{20,}$"), "anthropic-api-key"),
    (re.compile(r"^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}$"), "openai-api-key"),
    (re.compile(r"^(?:AKIA|ASIA)[A-Z0-9]{16}$"), "aws-access-key"),
    (re.compile(r"^xox[abposr]-[A-Za-z0-9-]{10,}$"), "slack-token"),
    (re.compile(r"^glpat-[A-Za-z0-9_-]{20,}$"), "gitlab-token"),
    (re.compile(r"^npm_[A-Za-z0-9]{36}$"), "npm-token"),
    (re.compile(r"^pypi-[A-Za-z0-9_-]{50,}$"), "pypi-token"),
    (re.compile(r"^hf_[A-Za-z0-9]{30,}$"), "huggingface-token"),
    (re.compile(r"^AIza[0-9A-Za-z_-]{35}$"), "gcp-api-key"),
    (re.compile(r"^-----BEGIN [A-Z ]*PRIVATE KEY-----"), "private-key"),
)


def classify_value(value: str) -> str | None:
    """The credential kind a value's shape gives away (token prefixes), else None."""
    text = value.strip()
    for pattern, kind in _VALUE_SHAPES:
        if pattern.match(text):
            return kind
    return None

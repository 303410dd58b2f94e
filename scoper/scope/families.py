"""Credential families: which names a session's "held" credentials are, which harvest classes
reach them, where a credential lives and how to rotate it (docs/identities.md)."""

from __future__ import annotations

from collections.abc import Collection

# family -> (credential names that make it up, credential kinds that make it up)
HELD: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "aws": (("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), ()),
    "gcp": (("GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_AUTH_ACCESS_TOKEN"), ()),
    "azure": (("AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET"), ()),
    "k8s": ((), ("k8s-service-account-token",)),
    "github": (("GITHUB_TOKEN", "GH_TOKEN"), ()),
    "github-oidc": (("ACTIONS_ID_TOKEN_REQUEST_TOKEN",), ("github-oidc",)),
    "git": ((), ()),
}

# family -> the harvest classes through which a payload reaches a session's held credentials
REACHED_BY: dict[str, frozenset[str]] = {
    "aws": frozenset({"env", "cloud-files", "cloud-metadata"}),
    "gcp": frozenset({"env", "cloud-files", "cloud-metadata"}),
    "azure": frozenset({"env", "cloud-files", "cloud-metadata"}),
    "k8s": frozenset({"k8s-token"}),
    "github": frozenset({"env", "ci-secrets", "git-credentials"}),
    "github-oidc": frozenset({"env", "ci-secrets"}),
    "git": frozenset({"git-credentials"}),
}


def held_rows() -> list[dict[str, str | None]]:
    """The ``scope_held_names`` rows."""
    rows: list[dict[str, str | None]] = []
    for family, (names, kinds) in HELD.items():
        rows += [{"family": family, "name": n, "kind": None} for n in names]
        rows += [{"family": family, "name": None, "kind": k} for k in kinds]
    return rows


def reached(family: str, harvests: Collection[str]) -> bool:
    """Whether a payload harvesting ``harvests`` (all, when empty) reaches ``family``."""
    return not harvests or bool(REACHED_BY.get(family, frozenset({"env"})) & set(harvests))


def where(
    kind: str, harvest: str, session: str | None, path: str | None, session_kind: str | None
) -> str:
    """Classify a credential row's home."""
    if kind == "k8s-service-account-token":
        return "k8s-sa-token"
    if kind == "k8s-secret":
        return "k8s-secret"
    if harvest == "dotenv":
        return "dotenv-file"
    if path:
        return "file" if session else "host-file"
    return "ci-secret" if session_kind == "ci" else "session-env"


_BY_KIND: tuple[tuple[str, str], ...] = (
    (
        "pypi",
        "Revoke the PyPI API token (pypi.org: Account settings > API tokens), issue a "
        "project-scoped one, and check the project's release history for uploads you did not make",
    ),
    (
        "npm",
        "Revoke the npm token (npm token revoke), issue a new granular token, and check "
        "the packages it could publish",
    ),
    (
        "github-oidc",
        "OIDC request tokens expire with the job; revoke the sessions of the cloud "
        "roles that trust this subject and narrow their trust policy",
    ),
    (
        "github-actions",
        "Job tokens expire with the job; review what the job's permissions "
        "allowed and the runs and releases made during it",
    ),
    (
        "github",
        "Revoke the GitHub token (Settings > Developer settings, or the app "
        "installation), then review audit-log activity for it",
    ),
    ("gitlab", "Revoke the GitLab token and review its audit events"),
    (
        "k8s-service-account-token",
        "Delete the pod (its bound token dies with it) and, for "
        "long-lived token Secrets, delete and re-mint them; review the service account's RBAC",
    ),
    ("k8s-secret", "Rotate the values in the Kubernetes Secret and restart what mounts it"),
    (
        "kubeconfig",
        "Rotate the cluster credentials in the kubeconfig (revoke the client certificate or token)",
    ),
    (
        "ssh",
        "Remove the public key from authorized_keys and deploy keys, and generate a new key pair",
    ),
    (
        "gcp",
        "Delete the service account key (gcloud iam service-accounts keys delete) or "
        "revoke the user's tokens (gcloud auth revoke), and issue new ones",
    ),
    ("gcloud", "Revoke the gcloud credentials (gcloud auth revoke) and re-authenticate"),
    (
        "azure",
        "Reset the service principal's client secret (az ad sp credential reset) or "
        "revoke the user's sessions",
    ),
    (
        "openai",
        "Delete the API key (platform.openai.com > API keys), issue a new one and check "
        "the organisation's usage for calls you did not make",
    ),
    (
        "anthropic",
        "Delete the API key (console.anthropic.com > API keys), issue a new one and check usage",
    ),
    (
        "huggingface",
        "Invalidate the access token (huggingface.co > Settings > Access Tokens) "
        "and review repositories it could write",
    ),
    ("database", "Change the database password and review its connections"),
    ("docker", "Revoke the registry tokens in the Docker config and log in again"),
    ("git-credentials", "Revoke the tokens stored in the git credential store"),
)


def rotate(
    kind: str, key_ids: Collection[str], principals: Collection[str], path: str | None
) -> str:
    """The concrete rotation step for an identity."""
    if kind.startswith("aws") or any(k.startswith(("AKIA", "ASIA")) for k in key_ids):
        return _aws(key_ids, principals, path)
    for prefix, text in _BY_KIND:
        if kind.startswith(prefix):
            return text + (f" (file {path})" if path else "")
    return "Rotate the secret at its issuer and update every place it is stored" + (
        f" (file {path})" if path else ""
    )


def _aws(key_ids: Collection[str], principals: Collection[str], path: str | None) -> str:
    users = sorted(p for p in principals if ":user/" in p)
    roles = sorted(p for p in principals if ":assumed-role/" in p or ":role/" in p)
    steps = []
    long_lived = sorted(k for k in key_ids if k.startswith("AKIA"))
    temporary = sorted(k for k in key_ids if k.startswith("ASIA"))
    if long_lived or users:
        who = f" of {', '.join(users)}" if users else ""
        keys = ", ".join(long_lived) or "the exposed access key"
        steps.append(
            f"Deactivate and delete {keys}{who} (aws iam update-access-key --status "
            "Inactive), then issue a new key"
        )
    if temporary or roles:
        who = ", ".join(roles) or "the role"
        steps.append(
            f"Revoke the active sessions of {who} (IAM: Revoke active sessions) so "
            f"{', '.join(temporary) or 'its temporary credentials'} stop working"
        )
    if path:
        steps.append(f"Rotate every key in {path}")
    return "; ".join(steps) or "Deactivate the exposed AWS access key and issue a new one"

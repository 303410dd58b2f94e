"""Printed identities: command output that says whose credentials a session holds.

Outputs are shaped as the tools print them: the AWS CLI's get-caller-identity JSON
(STS API reference "Response Elements": UserId, Account, Arn), gcloud's
``Credentialed Accounts`` table and ``config list`` INI sections, ``az account show``
JSON (azure-cli ``account show``: id, user.name/type), kubectl's
``printTableSelfSubjectAccessReview`` (``ATTRIBUTE\\tVALUE``, ``Username``, ``Extra: k``
through a tabwriter) and its SelfSubjectReview JSON, gh's ``authEntry.String``
("%s Logged in to %s account %s (%s)", "- Active account: %s"; gh < 2.40 printed
"Logged in to %s as %s (%s)"), ``git config`` printing the bare value.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scoper.model import Alias, IdentityLink, LinkRule, Origin
from scoper.sources.audit.commands.identities import printed_identities, printed_links
from scoper.sources.audit.commands.place import Place

AWS_JSON = """{
    "UserId": "AROA3XFRBF23EXAMPLE12:ci-deploy",
    "Account": "123456789012",
    "Arn": "arn:aws:sts::123456789012:assumed-role/ci-deployer/ci-deploy"
}"""
GCLOUD_AUTH = """                  Credentialed Accounts
ACTIVE             ACCOUNT
*                  ana@example.com
                   build-bot@my-proj.iam.gserviceaccount.com

To set the active account, run:
    $ gcloud config set account `ACCOUNT`
"""
GCLOUD_CONFIG = """[core]
account = build-bot@my-proj.iam.gserviceaccount.com
disable_usage_reporting = True
project = my-proj

Your active configuration is: [default]
"""
AZ_SHOW = """{
  "environmentName": "AzureCloud",
  "homeTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
  "id": "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
  "isDefault": true,
  "managedByTenants": [],
  "name": "Contoso Dev",
  "state": "Enabled",
  "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
  "user": {
    "name": "ana@contoso.com",
    "type": "user"
  }
}"""
WHOAMI_TABLE = """ATTRIBUTE                                           VALUE
Username                                            system:serviceaccount:ci:runner
UID                                                 7b3c1f0e-2d4a-4e6b-9c8d-1a2b3c4d5e6f
Groups                                              [system:serviceaccounts system:authenticated]
Extra: authentication.kubernetes.io/credential-id   [JTI=1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718]
Extra: authentication.kubernetes.io/pod-name        [runner-7d9f8-abcde]
"""
WHOAMI_JSON = """{
    "kind": "SelfSubjectReview",
    "apiVersion": "authentication.k8s.io/v1",
    "metadata": {
        "creationTimestamp": null
    },
    "status": {
        "userInfo": {
            "username": "jane.doe",
            "uid": "b79dbf30-0c6a-11ed-861d-0242ac120002",
            "groups": [
                "students",
                "system:authenticated"
            ]
        }
    }
}"""
GH_STATUS = """github.com
  \u2713 Logged in to github.com account monalisa (keyring)
  - Active account: true
  - Git operations protocol: https
  - Token: gho_************************************
  - Token scopes: 'gist', 'read:org', 'repo', 'workflow'

  \u2713 Logged in to github.com account hubot (keyring)
  - Active account: false
  - Git operations protocol: https
"""


def found(command: str, output: str) -> list[tuple[str, str, str, int, str]]:
    return [
        (p.family, p.target.kind, p.target.value, p.line, p.rule)
        for p in printed_identities(command, output)
    ]


def test_aws_get_caller_identity_json_text_and_query() -> None:
    assert found("aws sts get-caller-identity", AWS_JSON) == [
        ("aws", "account", "aws:123456789012", 2, "printed-identity"),
        (
            "aws",
            "principal",
            "arn:aws:sts::123456789012:assumed-role/ci-deployer/ci-deploy",
            3,
            "printed-identity",
        ),
    ]
    text = "123456789012\tarn:aws:iam::123456789012:user/DevAdmin\tAIDASAMPLEUSERID\n"
    assert found("aws --profile dev sts get-caller-identity --output text", text) == [
        ("aws", "principal", "arn:aws:iam::123456789012:user/DevAdmin", 0, "printed-identity"),
        ("aws", "account", "aws:123456789012", 0, "printed-identity"),
    ]
    assert found("aws sts get-caller-identity --query Account --output text", "123456789012\n") == [
        ("aws", "account", "aws:123456789012", 0, "printed-identity")
    ]
    assert found("aws s3 ls", AWS_JSON) == []  # another command's output says nothing


def test_gcloud_auth_list_and_config() -> None:
    assert found("gcloud auth list", GCLOUD_AUTH) == [
        ("gcp", "principal", "gcp:ana@example.com", 2, "printed-identity")
    ]
    old = "Credentialed Accounts:\n - ana@example.com ACTIVE\n - ci@p.iam.gserviceaccount.com\n"
    assert [f[2] for f in found("gcloud auth list", old)] == ["gcp:ana@example.com"]
    listed = '[\n  {\n    "account": "ana@example.com",\n    "status": "ACTIVE"\n  },\n'
    listed += '  {\n    "account": "ci@p.iam.gserviceaccount.com",\n    "status": ""\n  }\n]\n'
    assert found("gcloud auth list --format=json", listed) == [
        ("gcp", "principal", "gcp:ana@example.com", 2, "printed-identity")
    ]
    assert found("gcloud config list", GCLOUD_CONFIG) == [
        (
            "gcp",
            "principal",
            "gcp:build-bot@my-proj.iam.gserviceaccount.com",
            1,
            "printed-identity",
        ),
        ("gcp", "account", "gcp:my-proj", 3, "printed-identity"),
    ]
    assert [f[2] for f in found("gcloud config get-value account", "ana@example.com\n")] == [
        "gcp:ana@example.com"
    ]


def test_az_account_show() -> None:
    assert found("az account show", AZ_SHOW) == [
        ("azure", "principal", "azure:ana@contoso.com", 10, "printed-identity"),
        ("azure", "account", "azure:0b1f6471-1bf0-4dda-aec3-cb9272f09590", 3, "printed-identity"),
    ]
    assert found("az account show --query user.name -o tsv", "ana@contoso.com\n") == [
        ("azure", "principal", "azure:ana@contoso.com", 0, "printed-identity")
    ]


def test_kubectl_auth_whoami_table_and_json() -> None:
    assert found("kubectl auth whoami", WHOAMI_TABLE) == [
        ("k8s", "principal", "system:serviceaccount:ci:runner", 1, "printed-identity"),
        ("k8s", "k8s-sa", "ci/runner", 1, "printed-identity"),
        ("k8s", "token-id", "JTI=1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718", 4, "printed-identity"),
        ("k8s", "pod", "ci/runner-7d9f8-abcde", 5, "minted-for"),
    ]
    assert found("kubectl --context prod auth whoami -o json", WHOAMI_JSON) == [
        ("k8s", "principal", "jane.doe", 8, "printed-identity")
    ]


def test_gh_auth_status_active_account_only() -> None:
    assert found("gh auth status", GH_STATUS) == [
        ("github", "principal", "github:monalisa", 1, "printed-identity")
    ]
    old = "github.com\n  \u2713 Logged in to github.com as mntlty (oauth_token)\n"
    assert [f[2] for f in found("gh auth status", old)] == ["github:mntlty"]
    ghe = "ghe.corp.example\n  \u2713 Logged in to ghe.corp.example account ana (keyring)\n"
    assert found("gh auth status", ghe) == []  # another host's logins are not github.com's
    colored = (
        "  \x1b[32m\u2713\x1b[0m Logged in to github.com account \x1b[1mmonalisa\x1b[0m (GH_TOKEN)"
    )
    assert [f[2] for f in found("gh auth status", colored)] == ["github:monalisa"]


def test_git_config_user_email_read_not_set() -> None:
    assert found("git config user.email", "ana@example.com\n") == [
        ("git", "principal", "git:ana@example.com", 0, "printed-identity")
    ]
    assert found("git config --global user.email ana@example.com", "") == []  # sets it
    listing = "user.name=Ana\nuser.email=ana@example.com\ncore.editor=vim\n"
    assert [f[2] for f in found("git config --list", listing)] == ["git:ana@example.com"]
    two = "ana@example.com\nbot@example.com\n"
    assert found("git config user.email; echo bot@example.com", two) == []  # which one?


def test_compound_command_each_recogniser_on_its_output() -> None:
    output = GH_STATUS + "ana@example.com\n"
    assert [f[2] for f in found("gh auth status && git config user.email", output)] == [
        "github:monalisa",
        "git:ana@example.com",
    ]


def test_printed_links_carry_the_output_place_and_line_places() -> None:
    when = datetime(2026, 3, 24, 11, 0, 4, tzinfo=UTC)
    place = Place(when, Origin("t.jsonl", 3), "sess-1", "dev-ana")
    links = printed_links("aws sts get-caller-identity", AWS_JSON, place)
    assert links[0] == IdentityLink(
        rule=LinkRule.PRINTED,
        source=Alias("held", "aws"),
        target=Alias("account", "aws:123456789012"),
        origin=Origin("t.jsonl", 3),
        session_id="sess-1",
        ts=when,
        fact="aws sts get-caller-identity printed the caller",
    )
    lines = AWS_JSON.split("\n")
    per_line = [
        Place(when, Origin("job.log", 40 + i), "job-1", "runner") for i in range(len(lines))
    ]
    by_line = printed_links(["aws", "sts", "get-caller-identity"], lines, per_line[0], per_line)
    assert [(k.target.kind, k.origin.line, k.session_id) for k in by_line] == [
        ("account", 42, "job-1"),
        ("principal", 43, "job-1"),
    ]
    host_only = Place(when, Origin("h.log", 1), None, "runner")
    [link, _] = printed_links("aws sts get-caller-identity", AWS_JSON, host_only)
    assert (link.session_id, link.host) == (None, "runner")

"""Planted secrets: realistic fake values in the command and text shapes people write.

Each shape is ``(id, command, secret)``: ``command`` is what a shell, an agent or a log
holds, ``secret`` the value that must never reach the store or any output. Values come
from a seeded generator, so they look random but every run plants the same ones.
"""

from __future__ import annotations

import base64
import random
import string

_RNG = random.Random(20260324)
ALNUM = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = ALNUM) -> str:
    """``n`` random characters (seeded: the same every run)."""
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def _hex(n: int) -> str:
    return rand(n, "0123456789abcdef")


def _aws_secret() -> str:
    return rand(40, ALNUM + "/+")


def _jwt() -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').decode().rstrip("=")
    body = base64.urlsafe_b64encode(f'{{"sub":"{rand(12)}"}}'.encode()).decode().rstrip("=")
    return f"{head}.{body}.{rand(43, ALNUM + '-_')}"


def _pem() -> str:
    lines = "\n".join(rand(64, ALNUM + "+/") for _ in range(4))
    return f"-----BEGIN OPENSSH PRIVATE KEY-----\n{lines}\n-----END OPENSSH PRIVATE KEY-----"


def _pw() -> str:
    return "Pw" + rand(14)


def _basic() -> tuple[str, str]:
    blob = base64.b64encode(f"x-access-token:{rand(20)}".encode()).decode()
    return blob, blob


def _build() -> list[tuple[str, str, str]]:
    shapes: list[tuple[str, str, str]] = []

    def token(name: str, value: str, template: str = "tool run --quiet {v}") -> None:
        shapes.append((name, template.format(v=value), value))

    for prefix in ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"):
        token(prefix.rstrip("_"), prefix + rand(36))
    token("github_pat", "github_pat_" + rand(22) + "_" + rand(59))
    token("glpat", "glpat-" + rand(20, ALNUM + "_-"))
    token("xoxb", f"xoxb-{rand(12, string.digits)}-{rand(13, string.digits)}-{rand(24)}")
    token("xoxp", f"xoxp-{rand(12, string.digits)}-{rand(12, string.digits)}-{rand(32)}")
    token("sk-proj", "sk-proj-" + rand(48, ALNUM + "_-"), "python eval.py --model gpt {v}")
    token("sk-legacy", "sk-" + rand(20) + "T3BlbkFJ" + rand(20))
    token("sk-ant", "sk-ant-api03-" + rand(93, ALNUM + "_-") + "AA")
    token("hf", "hf_" + rand(34), "huggingface-cli upload x {v}")
    token("pypi", "pypi-AgEIcHlwaS5vcmc" + rand(70, ALNUM + "_-"))
    token("npm", "npm_" + rand(36))
    token("AIza", "AIza" + rand(35, ALNUM + "_-"))
    token("stripe-live", "sk_live_" + rand(24))
    token("stripe-restricted", "rk_live_" + rand(24))
    token("jwt", _jwt(), "curl https://api.example.com/v1 -d {v}")
    token("pem", _pem(), "printf '%s' '{v}' > key")
    token("hvs", "hvs." + rand(24, ALNUM + "_-"))
    token("dckr_pat", "dckr_pat_" + rand(27, ALNUM + "_-"))
    token("GOCSPX", "GOCSPX-" + rand(28, ALNUM + "_-"))
    token("ya29", "ya29." + rand(60, ALNUM + "_-"))
    token("sendgrid", f"SG.{rand(22)}.{rand(43)}")
    token("dop_v1", "dop_v1_" + _hex(64))
    token("shpat", "shpat_" + _hex(32))
    token("lin_api", "lin_api_" + rand(40))
    token("gsk", "gsk_" + rand(52))

    aws = _aws_secret()
    shapes.append(("aws-configure-set", f"aws configure set aws_secret_access_key {aws}", aws))
    aws = _aws_secret()
    shapes.append(("echo-aws-configure", f"echo {aws} | aws configure", aws))
    aws = _aws_secret()
    shapes.append(("aws-env", f"AWS_SECRET_ACCESS_KEY={aws} aws s3 ls", aws))
    for name, template in (
        ("secret-key-option", "s3cmd --access_key=AKIAX --secret-key {v} ls"),
        ("mysql-p", "mysql -h db -u root -p{v} app"),
        ("docker-login-p", "docker login -u ci -p {v} registry.acme.io"),
        ("docker-login-password", "docker login --password {v} registry.acme.io"),
        ("password-stdin", "echo {v} | docker login -u ci --password-stdin ghcr.io"),
        ("curl-u", "curl -u deploy:{v} https://nexus.acme.io/upload"),
        ("kubectl-token", "kubectl --token={v} get pods -A"),
        ("vault-login", "vault login {v}"),
        ("url-userinfo", "git clone https://ci:{v}@git.acme.io/app.git"),
        ("index-url", "pip install litellm==1.82.7 --index-url https://u:{v}@pypi.acme.io/simple"),
        ("query-token", "curl 'https://api.acme.io/x?token={v}&page=2'"),
        ("query-access-token", "wget https://api.acme.io/x?access_token={v}"),
        ("query-sig", "curl 'https://acct.blob.core.windows.net/c/b?sv=2024&sig={v}'"),
        ("bearer", "curl -H 'Authorization: Bearer {v}' https://api.acme.io"),
        ("cookie", "curl -H 'Cookie: session={v}' https://app.acme.io"),
        ("x-api-key", "curl -H 'X-Api-Key: {v}' https://api.acme.io"),
        ("npm-authtoken", "npm config set //registry.npmjs.org/:_authToken={v}"),
        ("gh-with-token", "gh auth login --with-token <<< {v}"),
        ("sshpass", "sshpass -p {v} ssh deploy@10.0.0.5"),
        ("password-eq", "twine upload --password={v} dist/*"),
        ("api-key-eq", "llm-cli --api-key={v} chat"),
        ("from-literal", "kubectl create secret generic db --from-literal=password={v}"),
        ("gh-secret-body", "gh secret set DEPLOY_KEY --body {v}"),
        ("pgpassword", "PGPASSWORD={v} psql -h db app"),
        ("redis-cli-a", "redis-cli -h cache -a {v} ping"),
        ("sqlcmd-P", "sqlcmd -S db -U sa -P {v} -Q 'select 1'"),
        ("ldapsearch-w", "ldapsearch -x -D cn=admin,dc=acme -w {v} uid=bob"),
        ("az-login-p", "az login -u ops@acme.io -p {v}"),
        ("smbclient-U", "smbclient //files/share -U alice%{v}"),
        ("keytool-storepass", "keytool -list -keystore ks.jks -storepass {v}"),
        ("skopeo-creds", "skopeo copy --src-creds ci:{v} docker://a docker://b"),
        ("mongosh-p", "mongosh --host db -u admin -p {v}"),
        ("docker-env", "docker run -e DB_PASSWORD={v} acme/app"),
        ("header-eq", "wget --header=Authorization:Bearer{v} https://x.acme.io"),
    ):
        value = _pw()
        shapes.append((name, template.format(v=value), value))
    blob, secret = _basic()
    shapes.append(
        (
            "extraheader",
            f'git -c http.extraheader="AUTHORIZATION: basic {blob}" fetch origin',
            secret,
        )
    )
    hook = f"T{rand(10).upper()}/B{rand(10).upper()}/{rand(24)}"
    shapes.append(("slack-webhook", f"curl -X POST https://hooks.slack.com/services/{hook}", hook))
    hook = f"{rand(18, string.digits)}/{rand(68, ALNUM + '_-')}"
    shapes.append(("discord-webhook", f"curl https://discord.com/api/webhooks/{hook}", hook))
    return shapes


SHAPES = _build()
TOKEN_SHAPES = [s for s in SHAPES if s[1].startswith("tool run")]

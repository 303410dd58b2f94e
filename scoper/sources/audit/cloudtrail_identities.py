"""Identity evidence in CloudTrail records: whose a key is, and which key was traded for which.

- a record whose caller signed with an access key: ``owner`` links from the key id to the
  caller's ``userIdentity.arn`` (principal) and to ``aws:<accountId>`` (account), unless AWS
  refused the request before it knew the caller (``InvalidClientTokenId``...);
- a successful STS exchange (``AssumeRole``, ``GetSessionToken``, ``GetFederationToken``,
  ``AssumeRoleWithSAML``, ``AssumeRoleWithWebIdentity``): an ``exchange`` link (derived)
  from the caller's key id (for ``AssumeRoleWithWebIdentity`` the web identity token's
  subject: ``oidc-subject``, or ``k8s-sa`` for an EKS IRSA ``system:serviceaccount:ns:name``)
  to ``responseElements.credentials.accessKeyId``, and ``owner`` links from the new key to
  the assumed role's (federated user's, or for ``GetSessionToken`` the caller's) ARN and
  account. A failed exchange (``errorCode``) links nothing new.

CloudTrail logs no secret access key; ``responseElements.credentials.sessionToken`` (empty in
current logs, present in old ones) is never read. Each distinct link is kept once per file,
with the line and time of its first record.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from scoper.model import Alias, AliasKind, IdentityLink, LinkRule, Origin
from scoper.sources.audit.cloudtrail_envelopes import source_address
from scoper.sources.identity_links import LinkSet
from scoper.sources.reading import dig, string

_STS = "sts.amazonaws.com"
_EXCHANGES = frozenset(
    {
        "AssumeRole",
        "GetSessionToken",
        "GetFederationToken",
        "AssumeRoleWithSAML",
        "AssumeRoleWithWebIdentity",
    }
)
# Errors AWS answers before it has authenticated the caller: the logged identity is a claim.
_UNAUTHENTICATED = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
        "IncompleteSignature",
        "UnrecognizedClientException",
        "InvalidToken",
    }
)
_ACCOUNT = re.compile(r"\d{12}")
_SA_PREFIX = "system:serviceaccount:"


def web_identity_subject(record: dict[str, Any]) -> str | None:
    """The subject of the web identity token a record shows (an OIDC ``sub``), if any."""
    subject = string(dig(record, "responseElements", "subjectFromWebIdentityToken"))
    identity = record.get("userIdentity")
    if subject is None and string(dig(identity, "type")) == "WebIdentityUser":
        subject = string(dig(identity, "userName"))
    return subject


def subject_alias(subject: str) -> Alias:
    """``k8s-sa ns/name`` for an IRSA subject ``system:serviceaccount:ns:name``, else the
    ``oidc-subject`` as written."""
    namespace, _, name = subject.removeprefix(_SA_PREFIX).partition(":")
    if subject.startswith(_SA_PREFIX) and namespace and name and ":" not in name:
        return Alias(AliasKind.K8S_SA, f"{namespace}/{name}")
    return Alias(AliasKind.OIDC_SUBJECT, subject)


def add_links(links: LinkSet, record: dict[str, Any], origin: Origin, ts: datetime) -> None:
    """The owner and exchange links one CloudTrail record shows."""
    identity = record.get("userIdentity")
    key_id = string(dig(identity, "accessKeyId"))
    error = string(record.get("errorCode"))
    if key_id and error not in _UNAUTHENTICATED:
        _owner(links, key_id, string(dig(identity, "arn")), origin, ts, "CloudTrail")
        _account(links, key_id, string(dig(identity, "accountId")), origin, ts, "CloudTrail")
    name = string(record.get("eventName"))
    if string(record.get("eventSource")) == _STS and name in _EXCHANGES and error is None:
        _exchange(links, record, name, key_id, origin, ts)


def _exchange(
    links: LinkSet,
    record: dict[str, Any],
    name: str,
    caller_key: str | None,
    origin: Origin,
    ts: datetime,
) -> None:
    response = record.get("responseElements")
    new_key = string(dig(response, "credentials", "accessKeyId"))
    if new_key is None or new_key == caller_key:
        return  # no new credential (docs examples repeat the caller's key): nothing to follow
    role = string(dig(record, "requestParameters", "roleArn"))
    issued = string(dig(response, "assumedRoleUser", "arn")) or string(
        dig(response, "federatedUser", "arn")
    )
    if name == "GetSessionToken":  # session credentials of the calling user itself
        issued = string(dig(record, "userIdentity", "arn"))
    source: Alias | None = Alias(AliasKind.KEY_ID, caller_key) if caller_key else None
    if name == "AssumeRoleWithWebIdentity":
        subject = web_identity_subject(record)
        source = subject_alias(subject) if subject else None
    if source is not None:
        ip = source_address(record.get("sourceIPAddress"))[0]
        what = f"role {role}" if role else f"as {issued}" if issued else None
        fact = f"{name}: {_written(source)} traded for {new_key}"
        fact += (f" ({what})" if what else "") + (f" from {ip}" if ip else "")
        links.keep(
            IdentityLink(
                rule=LinkRule.EXCHANGE,
                source=source,
                target=Alias(AliasKind.KEY_ID, new_key),
                origin=origin,
                derived=True,
                ts=ts,
                fact=fact,
            )
        )
    _owner(links, new_key, issued, origin, ts, name)
    _account(links, new_key, _arn_account(issued), origin, ts, name)


def _written(alias: Alias) -> str:
    """An alias as its record wrote it (an IRSA subject back in its ``system:`` form)."""
    if alias.kind == AliasKind.K8S_SA:
        return _SA_PREFIX + alias.value.replace("/", ":", 1)
    return alias.value


def _owner(
    links: LinkSet, key_id: str, arn: str | None, origin: Origin, ts: datetime, said: str
) -> None:
    if arn:
        links.keep(
            IdentityLink(
                rule=LinkRule.OWNER,
                source=Alias(AliasKind.KEY_ID, key_id),
                target=Alias(AliasKind.PRINCIPAL, arn),
                origin=origin,
                ts=ts,
                fact=f"{said}: {key_id} belongs to {arn}",
            )
        )


def _account(
    links: LinkSet, key_id: str, account: str | None, origin: Origin, ts: datetime, said: str
) -> None:
    if account and _ACCOUNT.fullmatch(account):
        links.keep(
            IdentityLink(
                rule=LinkRule.OWNER,
                source=Alias(AliasKind.KEY_ID, key_id),
                target=Alias(AliasKind.ACCOUNT, f"aws:{account}"),
                origin=origin,
                ts=ts,
                fact=f"{said}: {key_id} belongs to AWS account {account}",
            )
        )


def _arn_account(arn: str | None) -> str | None:
    """The account field of an ARN (``arn:aws:sts::123456789012:assumed-role/...``)."""
    parts = (arn or "").split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else None

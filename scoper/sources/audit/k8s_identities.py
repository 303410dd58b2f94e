"""Identity evidence in Kubernetes audit events: which token a request used, whose it is,
what it was minted for.

- a request by a service account: the token's public id is
  ``user.extra["authentication.kubernetes.io/credential-id"]`` (``JTI=<jti>``, KEP-4193, on
  by default since Kubernetes 1.30) and the pod it was bound to
  ``user.extra["authentication.kubernetes.io/pod-name"]``: ``owner`` token-id ->
  ``k8s-sa ns/name``, ``minted-for`` token-id -> ``pod``;
- a TokenRequest (``serviceaccounts/token`` create): ``exchange`` (derived) ``k8s-sa`` ->
  the new token's id, ``minted-for`` token id -> the ``boundObjectRef`` pod. The id is the
  ``jti`` claim of ``responseObject.status.token`` (its payload decoded, never verified, the
  token fingerprinted and dropped), else the audit annotation
  ``authentication.kubernetes.io/issued-credential-id``. A kubelet (``system:node:*``)
  request for a pod is that pod's mounted token: ``held:k8s`` of the pod session -> pod
  (``minted-for``) and -> ``k8s-sa`` (``owner``).

Each distinct link is kept once per file, at its first event's line.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from scoper.model import Alias, AliasKind, IdentityLink, LinkRule, Origin, Records
from scoper.sources.identity_links import LinkSet
from scoper.sources.reading import dig, obj, string

SA_PREFIX = "system:serviceaccount:"
CREDENTIAL_ID = "authentication.kubernetes.io/credential-id"
POD_NAME = "authentication.kubernetes.io/pod-name"
ISSUED_ID = "authentication.kubernetes.io/issued-credential-id"
_MAX_JWT = 64 * 1024


def service_account(username: str) -> tuple[str, str] | None:
    """(namespace, name) of ``system:serviceaccount:<ns>:<name>``, else None."""
    namespace, _, name = username.removeprefix(SA_PREFIX).partition(":")
    if username.startswith(SA_PREFIX) and namespace and name and ":" not in name:
        return namespace, name
    return None


def extra(event: dict[str, Any], key: str) -> str | None:
    """The first value of ``user.extra[key]``."""
    values = dig(event, "user", "extra", key)
    return string(values[0]) if isinstance(values, list) and values else None


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload claims of a JWT, decoded without verification ({} when unreadable)."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > _MAX_JWT:
        return {}
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, RecursionError):
        return {}
    return obj(claims)


class K8sLinks(LinkSet):
    """The identity links of one audit file, each distinct link once (its first line)."""

    def __init__(self, records: Records) -> None:
        super().__init__(records)
        self.kubelet_tokens: set[str] = set()  # "ns/pod" whose mounted token was requested

    def add(self, rule: str, source: Alias, target: Alias, origin: Origin, **more: Any) -> None:
        self.keep(IdentityLink(rule=rule, source=source, target=target, origin=origin, **more))

    def use(
        self, event: dict[str, Any], username: str, origin: Origin
    ) -> tuple[str | None, str | None]:
        """(token id, bound-to) of a service account's request, and the links they show."""
        account = service_account(username)
        if account is None:
            return None, None
        namespace, name = account
        token_id, pod = extra(event, CREDENTIAL_ID), extra(event, POD_NAME)
        ts = event.get("_ts")
        if token_id:
            token = Alias(AliasKind.TOKEN_ID, token_id)
            sa = Alias(AliasKind.K8S_SA, f"{namespace}/{name}")
            fact = f"Kubernetes API server: {token_id} authenticates as {username}"
            self.add(LinkRule.OWNER, token, sa, origin, ts=ts, fact=fact)
            if pod:
                fact = f"Kubernetes API server: {token_id} is bound to pod {namespace}/{pod}"
                target = Alias(AliasKind.POD, f"{namespace}/{pod}")
                self.add(LinkRule.MINTED_FOR, token, target, origin, ts=ts, fact=fact)
        return token_id, f"pod:{namespace}/{pod}" if pod else None

    def token_request(self, event: dict[str, Any], origin: Origin) -> str | None:
        """The links a TokenRequest shows; the token in the response, if any (to fingerprint)."""
        namespace = string(dig(event, "objectRef", "namespace")) or ""
        account = string(dig(event, "objectRef", "name")) or ""
        token = string(dig(event, "responseObject", "status", "token"))
        claims = jwt_claims(token) if token else {}
        jti = string(claims.get("jti"))
        token_id = f"JTI={jti}" if jti else string(dig(event, "annotations", ISSUED_ID))
        bound = dig(event, "requestObject", "spec", "boundObjectRef") or dig(
            event, "responseObject", "spec", "boundObjectRef"
        )
        pod = string(dig(claims, "kubernetes.io", "pod", "name")) or (
            string(dig(bound, "name")) if string(dig(bound, "kind")) == "Pod" else None
        )
        if not namespace or not account:
            return token
        sa = Alias(AliasKind.K8S_SA, f"{namespace}/{account}")
        requester = string(dig(event, "user", "username")) or "?"
        ts: datetime | None = event.get("_ts")
        where = f" bound to pod {namespace}/{pod}" if pod else ""
        if token_id:
            fact = f"TokenRequest: {requester} got {token_id} for {namespace}/{account}{where}"
            target = Alias(AliasKind.TOKEN_ID, token_id)
            self.add(LinkRule.EXCHANGE, sa, target, origin, derived=True, ts=ts, fact=fact)
            if pod:
                held = Alias(AliasKind.POD, f"{namespace}/{pod}")
                self.add(LinkRule.MINTED_FOR, target, held, origin, ts=ts, fact=fact)
        if pod and requester.startswith("system:node:"):
            self.kubelet_tokens.add(f"{namespace}/{pod}")
            self.held(f"{namespace}/{pod}", account, origin, ts, f"TokenRequest: {requester}")
        return token

    def held(
        self, pod: str, account: str | None, origin: Origin, ts: datetime | None, said: str
    ) -> None:
        """The pod session's mounted token: minted for the pod, owned by its service account."""
        session = f"k8s:{pod}"
        held = Alias(AliasKind.HELD, "k8s")
        fact = f"{said}: pod {pod} holds the service-account token minted for it"
        target = Alias(AliasKind.POD, pod)
        self.add(LinkRule.MINTED_FOR, held, target, origin, session_id=session, ts=ts, fact=fact)
        if account:
            namespace = pod.partition("/")[0]
            sa = Alias(AliasKind.K8S_SA, f"{namespace}/{account}")
            fact = f"{said}: pod {pod} holds a token of service account {namespace}/{account}"
            self.add(LinkRule.OWNER, held, sa, origin, session_id=session, ts=ts, fact=fact)

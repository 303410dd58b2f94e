"""Kubernetes API server audit log (``audit.k8s.io/v1`` Events, JSON Lines or EventList).

Cloud envelopes (GKE, AKS, EKS/CloudWatch) are unwrapped first
(:mod:`scoper.sources.audit.k8s_audit_wrappers`); events are deduplicated by
``auditID``, keeping the ResponseComplete stage. What scoper takes:

- pod create -> a pod session ``k8s:<namespace>/<pod>`` (image digest from an
  ``image@sha256:`` reference or a later pod status ``imageID``, host =
  ``spec.nodeName`` or the ``pods/binding`` target, actor = the pod's service
  account); pod delete ends it;
- ``pods/exec``, ``pods/attach`` -> exec events with the URI's ``command=`` (attach: none);
- secret get/list/watch -> ``k8s-secret`` credentials (``<ns>/<secret>``, ``<ns>/*``
  for a list without response), ``serviceaccounts/token`` create ->
  ``k8s-service-account-token`` credentials; their session is the reading pod
  (``user.extra`` pod-name, a token's bound pod, or the only pod of that service account);
- every request by a service account -> a credential use (key id = the user name, token id
  and bound pod from ``user.extra``);
- identity links (token id -> service account and pod, TokenRequest exchanges, each pod
  session's mounted token) from :mod:`scoper.sources.audit.k8s_identities`, the mounted
  token's credential, the pod IP and Python starts of container commands from
  :mod:`scoper.sources.audit.k8s_pod_starts`.

Failed requests (status >= 400) give no session/exec/credential, but still a use.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scoper.model import Credential, CredentialUse, Event, Origin, Records, Session, Skipped
from scoper.sources.audit.commands.exec_events import exec_events
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.commands.redaction import redact_detail, redact_user_agent
from scoper.sources.audit.k8s_audit_fields import (
    failure,
    int_value,
    listed_secrets,
    node_of,
    spec_digest,
    status_digest,
)
from scoper.sources.audit.k8s_audit_wrappers import WrapperError, unwrap
from scoper.sources.audit.k8s_identities import K8sLinks
from scoper.sources.audit.k8s_pod_starts import TOKEN_PATH, pod_records, spec_facts
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import dig, obj, read_json_items, string
from scoper.times import parse_time

_STAGE_RANK = {"ResponseComplete": 3, "Panic": 2, "ResponseStarted": 1, "RequestReceived": 0}
_SA_PREFIX = "system:serviceaccount:"
_SECRET_VERBS = frozenset({"get", "list", "watch"})


class K8sAudit(FileSource):
    """Kubernetes audit events, raw or in a GKE/AKS/EKS envelope."""

    name = "k8s-audit"
    kind: SourceKind = "audit"
    obtained = "kube-apiserver's `--audit-log-path` file on a control-plane node, or a webhook log"
    summary = (
        "Kubernetes API server audit log (audit.k8s.io/v1 Event JSON Lines, EventList, "
        "events without apiVersion/kind, admission-webhook logs such as kube-audit-rest)"
    )
    reads = (
        "pod sessions with image digests, node and pod IP, a Python command at pod start, "
        "the mounted service-account token, pods/exec, attach, secret reads and token "
        "requests (credentials), service-account requests (credential uses with the token's "
        "credential id and bound pod); token -> pod and service-account links"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.lstrip()[:1] not in (b"{", b"["):
            return False
        if b"audit.k8s.io" in head and b"auditID" in head:
            return True
        if (
            b'"auditID"' in head
            and b'"verb"' in head
            and (b'"stage"' in head or b'"requestURI"' in head)
        ):  # events without apiVersion/kind (falco fixtures, some shippers)
            return True
        if b'"operation"' in head and b'"userInfo"' in head and b'"uid"' in head:
            return b"admission.k8s.io" in head or b'"requestReceivedTimestamp"' in head
        return b'"protoPayload"' in head and b"k8s.io" in head

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        data = read_json_items(path, ctx.display, ("items", "records", "logEvents", "events"))
        records = Records()
        records.skipped += data.skips(ctx.display)
        chosen: dict[str, int] = {}
        ordered: list[tuple[int, dict[str, Any]]] = []
        for line, item in data.items:
            try:
                events = unwrap(item)
            except WrapperError as exc:
                records.skipped.append(Skipped(Origin(ctx.display, line), str(exc)))
                continue
            for event in events:
                _keep(chosen, ordered, line, event)
        builder = _Builder(ctx, records)
        for line, event in ordered:
            builder.add(line, event)
        return builder.finish()


def _keep(
    chosen: dict[str, int],
    ordered: list[tuple[int, dict[str, Any]]],
    line: int,
    event: dict[str, Any],
) -> None:
    """Keep one stage per auditID (the most complete), in order of first appearance."""
    audit_id = string(event.get("auditID"))
    index = chosen.get(audit_id) if audit_id else None
    if index is None:
        if audit_id:
            chosen[audit_id] = len(ordered)
        ordered.append((line, event))
    elif _STAGE_RANK.get(str(event.get("stage")), -1) > _STAGE_RANK.get(
        str(ordered[index][1].get("stage")), -1
    ):
        ordered[index] = (line, event)


class _Builder:
    def __init__(self, ctx: ParseContext, records: Records) -> None:
        self.ctx = ctx
        self.records = records
        self.pods: dict[str, dict[str, Any]] = {}
        self.pending: list[tuple[int, dict[str, Any]]] = []
        self.unused: Counter[str] = Counter()
        self.first_unused: int | None = None
        self.links = K8sLinks(records)

    def add(self, line: int, event: dict[str, Any]) -> None:
        ts = (
            parse_time(event.get("requestReceivedTimestamp"))
            or parse_time(event.get("stageTimestamp"))
            or parse_time(event.get("timestamp"))
        )
        if ts is None or not isinstance(event.get("objectRef") or {}, dict):
            self.records.skipped.append(
                Skipped(Origin(self.ctx.display, line), "k8s audit: no requestReceivedTimestamp")
            )
            return
        event["_ts"] = ts
        username = string(dig(event, "user", "username")) or ""
        if username.startswith(_SA_PREFIX):
            self._use(line, event, username)
        resource = string(dig(event, "objectRef", "resource"))
        sub = string(dig(event, "objectRef", "subresource"))
        verb = string(event.get("verb"))
        ok = (int_value(dig(event, "responseStatus", "code")) or 200) < 400
        if resource == "pods" and sub is None and ok and verb in ("create", "delete"):
            self._pod(line, event, verb)
        elif resource == "pods" and sub in ("status", "binding") and ok:
            self._pod(line, event, sub)
        elif ok and (
            (resource == "pods" and sub in ("exec", "attach"))
            or (resource == "secrets" and sub is None and verb in _SECRET_VERBS)
            or (resource == "serviceaccounts" and sub == "token" and verb == "create")
        ):
            self.pending.append((line, event))  # needs the pods of the whole file
        elif not username.startswith(_SA_PREFIX):
            self.unused[f"{verb} {resource}"] += 1
            self.first_unused = self.first_unused or line

    def _use(self, line: int, event: dict[str, Any], username: str) -> None:
        resource = string(dig(event, "objectRef", "resource")) or "?"
        sub = string(dig(event, "objectRef", "subresource"))
        ips = event.get("sourceIPs")
        origin = Origin(self.ctx.display, line)
        token_id, bound_to = self.links.use(event, username, origin)
        self.records.credential_uses.append(
            CredentialUse(
                ts=event["_ts"],
                origin=origin,
                key_id=username,
                principal=username,
                source_ip=string(ips[0]) if isinstance(ips, list) and ips else None,
                user_agent=redact_user_agent(string(event.get("userAgent"))),
                action=f"{string(event.get('verb')) or '?'} {resource}{'/' + sub if sub else ''}",
                outcome=failure(event),
                service="k8s",
                token_id=token_id,
                bound_to=bound_to,
            )
        )

    def _pod(self, line: int, event: dict[str, Any], verb: str) -> None:
        response, request = obj(event.get("responseObject")), obj(event.get("requestObject"))
        namespace = (
            string(dig(event, "objectRef", "namespace"))
            or string(dig(response, "metadata", "namespace"))
            or string(dig(request, "metadata", "namespace"))
        )
        name = (
            string(dig(response, "metadata", "name"))
            or string(dig(event, "objectRef", "name"))
            or string(dig(request, "metadata", "name"))
        )
        if not namespace or not name:
            self.records.skipped.append(
                Skipped(
                    Origin(self.ctx.display, line), f"k8s audit: pod {verb} without namespace/name"
                )
            )
            return
        pod = self.pods.setdefault(f"{namespace}/{name}", {"line": line, "namespace": namespace})
        if verb == "delete":
            pod["ended_at"] = event["_ts"]
            return
        if verb == "create":
            pod.setdefault("started_at", event["_ts"])
        if verb == "binding":  # the scheduler placing the pod on a node
            pod["node"] = string(dig(request, "target", "name")) or pod.get("node")
        for source in (request, response):
            spec_facts(pod, source, line)
            spec = obj(source.get("spec"))
            pod["digest"] = (
                pod.get("digest") or spec_digest(spec) or status_digest(source.get("status"))
            )
            pod["node"] = pod.get("node") or string(spec.get("nodeName"))
            pod["account"] = pod.get("account") or string(spec.get("serviceAccountName"))

    def _pending(self, line: int, event: dict[str, Any]) -> None:
        resource = dig(event, "objectRef", "resource")
        namespace = string(dig(event, "objectRef", "namespace")) or ""
        name = string(dig(event, "objectRef", "name")) or ""
        origin = Origin(self.ctx.display, line)
        if resource == "pods":
            pod_session = f"k8s:{namespace}/{name}"
            self._exec(origin, event, pod_session, self.pods.get(f"{namespace}/{name}", {}))
            return
        session = self._reader_pod(event)
        host = node_of(event) if session is None else None
        if resource == "secrets":
            names = [name] if name else listed_secrets(event)
            for secret in names or ["*"]:
                self.records.credentials.append(
                    Credential(
                        name=f"{namespace}/{secret}",
                        kind="k8s-secret",
                        harvest_class="k8s-token",
                        origin=origin,
                        session_id=session,
                        host=host,
                        first_seen=event["_ts"],
                    )
                )
        else:
            token = self.links.token_request(event, origin)
            kubelet = session is not None and node_of(event) is not None
            self.records.credentials.append(
                Credential(
                    name=f"{namespace}/{name}",
                    kind="k8s-service-account-token",
                    harvest_class="k8s-token",
                    origin=origin,
                    session_id=session,
                    fingerprint=self.ctx.fingerprint(token) if token else None,
                    key_id=f"{_SA_PREFIX}{namespace}:{name}",
                    path=TOKEN_PATH if kubelet else None,  # the token the kubelet mounts
                    first_seen=event["_ts"],
                )
            )

    def _exec(
        self, origin: Origin, event: dict[str, Any], session: str, pod: dict[str, Any]
    ) -> None:
        query = parse_qsl(urlsplit(string(event.get("requestURI")) or "").query)
        argv = [value for key, value in query if key == "command"]
        container = next((value for key, value in query if key == "container"), None)
        detail = {
            "user": string(dig(event, "user", "username")),
            "container": container,
            "audit_id": string(event.get("auditID")),
        }
        where = Place(event["_ts"], origin, session, pod.get("node"))
        found = exec_events(argv, where, {k: v for k, v in detail.items() if v})
        self.records.events.extend(
            found
            or [
                Event(
                    ts=event["_ts"],
                    kind="exec",
                    origin=origin,
                    session_id=session,
                    host=pod.get("node"),
                    detail=redact_detail({**detail, "command_unknown": True}),
                )
            ]
        )

    def _reader_pod(self, event: dict[str, Any]) -> str | None:
        """The session of the pod whose service account made the request, when known."""
        username = string(dig(event, "user", "username")) or ""
        bound = dig(event, "requestObject", "spec", "boundObjectRef")
        if string(dig(bound, "kind")) == "Pod" and string(dig(bound, "name")):
            namespace = string(dig(event, "objectRef", "namespace"))
            return f"k8s:{namespace}/{dig(bound, 'name')}"
        if not username.startswith(_SA_PREFIX):
            return None
        namespace, _, account = username[len(_SA_PREFIX) :].partition(":")
        pod_name = dig(event, "user", "extra", "authentication.kubernetes.io/pod-name")
        if isinstance(pod_name, list) and pod_name and string(pod_name[0]):
            return f"k8s:{namespace}/{pod_name[0]}"
        matches = [
            key
            for key, pod in self.pods.items()
            if pod["namespace"] == namespace and pod.get("account") == account
        ]
        return f"k8s:{matches[0]}" if len(matches) == 1 else None

    def finish(self) -> Records:
        for line, event in self.pending:
            self._pending(line, event)
        for key, pod in self.pods.items():
            pod_records(self.records, self.links, key, pod, self.ctx.display)
            self.records.sessions.append(
                Session(
                    session_id=f"k8s:{key}",
                    origin=Origin(self.ctx.display, pod["line"]),
                    host=pod.get("node"),
                    kind="pod",
                    actor=f"{_SA_PREFIX}{pod['namespace']}:{pod['account']}"
                    if pod.get("account")
                    else None,
                    started_at=pod.get("started_at"),
                    ended_at=pod.get("ended_at"),
                    image_digest=pod.get("digest"),
                    address=pod.get("address"),
                )
            )
        if self.unused:
            total = sum(self.unused.values())
            self.records.skipped.append(
                Skipped(
                    Origin(self.ctx.display, self.first_unused),
                    f"{total} audit event(s) with nothing scoper uses",
                )
            )
        return self.records


SOURCE = K8sAudit()

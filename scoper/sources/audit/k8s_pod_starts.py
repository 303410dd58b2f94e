"""What a pod's spec says about its start: the service-account token it mounts, its address,
and the Python programs its containers start.

- the mounted token: a ``k8s-service-account-token`` credential ``serviceaccount token
  <ns>/<sa>`` at ``/var/run/secrets/kubernetes.io/serviceaccount/token`` in the pod session
  from the pod's start, unless the spec sets ``automountServiceAccountToken: false``; not
  when the file has the kubelet's TokenRequest for the pod (that credential is the mounted
  token already). Its ``held:k8s`` links (minted for the pod, owned by the service account)
  are made for every pod session that mounts it;
- the address: ``status.podIP`` of any event about the pod (kubelet status patches);
- a container whose ``command`` (followed by its ``args``) starts Python (an interpreter
  however spelled, a Python console script such as ``litellm`` or ``gunicorn``, a program in
  a virtualenv's ``bin/``, or a shell running one) gives the exec events of that argv at the
  pod's start, ``interpreter="python"`` on the Python ones. Without ``command`` the image's
  entrypoint runs, which the audit log does not show: nothing is made.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scoper.model import Credential, Event, Origin, Records
from scoper.sources.audit.commands.args import program_name
from scoper.sources.audit.commands.exec_events import exec_events
from scoper.sources.audit.commands.parse import PYTHON_PROGRAMS
from scoper.sources.audit.commands.place import Place
from scoper.sources.audit.k8s_identities import K8sLinks
from scoper.sources.reading import dig, string

TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token"
# Console scripts whose start is a Python interpreter start (servers, workers, CLIs).
_CONSOLE_SCRIPTS = PYTHON_PROGRAMS | {
    "litellm",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "celery",
    "flask",
    "django-admin",
    "pytest",
    "ipython",
    "jupyter",
    "jupyter-lab",
    "streamlit",
    "airflow",
    "mlflow",
    "dagster",
    "ray",
    "vllm",
    "huggingface-cli",
}
_VENV = re.compile(r"(?:^|/)[\w.-]*venv[\w.-]*(?:/|$)")


def spec_facts(pod: dict[str, Any], source: dict[str, Any], line: int) -> None:
    """Note in ``pod`` what one request/response object says: containers' argv (the first
    spec with containers), whether the token is mounted, the pod's IP."""
    spec = source.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("containers"), list) and "argv" not in pod:
        listed = [spec.get("initContainers"), spec.get("containers")]
        pod["argv"] = [
            (string(c.get("name")) or "?", argv)
            for found in listed
            for c in (found if isinstance(found, list) else [])
            if isinstance(c, dict) and (argv := _argv(c))
        ]
        pod["automount"] = spec.get("automountServiceAccountToken") is not False
        pod["spec_line"] = line
    ips = dig(source, "status", "podIPs")
    address = string(dig(source, "status", "podIP")) or (
        string(dig(ips[0], "ip")) if isinstance(ips, list) and ips else None
    )
    if address:
        pod.setdefault("address", address)


def _argv(container: dict[str, Any]) -> list[str]:
    command, args = container.get("command"), container.get("args")
    if not isinstance(command, list) or not command:
        return []
    return [a for a in command + (args if isinstance(args, list) else []) if isinstance(a, str)]


def pod_records(
    records: Records, links: K8sLinks, key: str, pod: dict[str, Any], display: str
) -> None:
    """The mounted token (credential and links) and Python starts of one pod session."""
    session, start = f"k8s:{key}", pod.get("started_at")
    origin = Origin(display, pod.get("spec_line") or pod["line"])
    account = pod.get("account") or ("default" if "argv" in pod else None)  # admission's
    mounted = pod.get("automount", True)
    if mounted:
        links.held(key, account, origin, start, "Kubernetes audit")
    if account and mounted and key not in links.kubelet_tokens:
        records.credentials.append(
            Credential(
                name=f"serviceaccount token {pod['namespace']}/{account}",
                kind="k8s-service-account-token",
                origin=origin,
                harvest_class="k8s-token",
                session_id=session,
                path=TOKEN_PATH,
                first_seen=start,
            )
        )
    if start is None:
        return
    for container, argv in pod.get("argv") or []:
        where = Place(start, origin, session, pod.get("node"))
        found = exec_events(argv, where, {"container": container, "derived": "pod spec"})
        if any(_python(e) for e in found):
            records.events += [replace(e, interpreter="python") if _python(e) else e for e in found]


def _python(event: Event) -> bool:
    """An exec that starts Python: an interpreter, a console script, a virtualenv's program."""
    program = event.program or ""
    return event.kind == "exec" and (
        program_name(program) == "python"
        or program in _CONSOLE_SCRIPTS
        or bool(event.environment and _VENV.search(event.environment))
    )

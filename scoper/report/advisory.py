"""An advisory as JSON for ``scoper advisories show``."""

from __future__ import annotations

from typing import Any

from scoper.feeds.model import Advisory
from scoper.times import rfc3339


def advisory_dict(adv: Advisory) -> dict[str, Any]:
    return {
        "id": adv.id,
        "aliases": list(adv.aliases),
        "summary": adv.summary,
        "published": rfc3339(adv.published),
        "modified": rfc3339(adv.modified),
        "withdrawn": rfc3339(adv.withdrawn),
        "windows": [
            {
                "start": rfc3339(w.start),
                "end": rfc3339(w.end),
                "conservative_end": rfc3339(w.conservative_end),
                "note": w.note,
            }
            for w in adv.windows
        ],
        "harvests": list(adv.harvests),
        "affected": [
            {
                "ecosystem": a.ecosystem,
                "name": a.name,
                "versions": list(a.versions),
                "ranges": [
                    {"type": r.type, "events": [{k: v} for k, v in r.events]} for r in a.ranges
                ],
                "versions_detail": [
                    {
                        "version": f.version,
                        "trigger": f.trigger,
                        "trigger_module": f.trigger_module,
                        "live_from": rfc3339(f.live_from),
                        "live_until": rfc3339(f.live_until),
                        "conservative_until": rfc3339(f.conservative_until),
                        "artifacts": [
                            {"sha256": h.sha256, "filename": h.filename} for h in f.artifacts
                        ],
                    }
                    for f in a.facts
                ],
                "release_history": len(a.releases),
            }
            for a in adv.affected
        ],
        "iocs": adv.iocs,
        "references": list(adv.references),
        "sources": [{"label": n.label, "url": n.url, "fact": n.fact} for n in adv.sources],
    }

"""The identity links of one parsed file, each distinct link once (docs/identities.md)."""

from __future__ import annotations

from typing import Any

from scoper.model import IdentityLink, Records


class LinkSet:
    """Keeps ``records.identity_links`` distinct: a link seen again keeps the earliest line
    that shows it (records are not always read in line order)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.seen: dict[tuple[Any, ...], int] = {}  # link -> its index in identity_links

    def keep(self, link: IdentityLink) -> None:
        """Add ``link`` unless it is already there (then keep the earlier line)."""
        key = (link.rule, link.source, link.target, link.derived, link.session_id, link.host)
        index = self.seen.get(key)
        links = self.records.identity_links
        if index is None:
            self.seen[key] = len(links)
            links.append(link)
        elif (link.origin.line or 0) < (links[index].origin.line or 0):
            links[index] = link

"""CycloneDX XML SBOMs (spec 1.2-1.6 namespaces), as cyclonedx-py, Maven and .NET tools write them.

The XML is parsed with ``defusedxml`` (no entity expansion, no external
entities), turned into the JSON shape and read by the CycloneDX JSON reader, so
both forms give the same records. Each component keeps the line of its tag.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from scoper.errors import InputError
from scoper.model import Records
from scoper.sources.base import FileSource, ParseContext, SourceKind
from scoper.sources.reading import json_head, read_text
from scoper.sources.sboms.cyclonedx import document_records

_NAMESPACE = "http://cyclonedx.org/schema/bom/"


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes the line of every start tag."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


class CycloneDxXmlSource(FileSource):
    """CycloneDX XML documents."""

    name = "cyclonedx-xml"
    kind: SourceKind = "sbom"
    obtained = "`syft IMAGE -o cyclonedx-xml`, `cyclonedx-py environment --of XML > bom.xml`"
    summary = "CycloneDX SBOM in XML (spec 1.2-1.6; e.g. `cyclonedx-py environment --of XML`)"
    reads = (
        "as CycloneDX JSON: component elements at any depth (purl, hashes, occurrences, "
        "properties); "
        "metadata/component as the subject image with its digest; metadata/timestamp"
    )

    def sniff(self, path: Path, head: bytes) -> bool:
        body = json_head(head)
        return body.startswith(b"<") and b"<bom" in body and _NAMESPACE.encode() in body

    def parse(self, path: Path, ctx: ParseContext) -> Records:
        root, lines = _parse_xml(read_text(path, ctx.display), ctx.display)
        if _local(root.tag) != "bom" or not root.tag.startswith("{" + _NAMESPACE):
            raise InputError(ctx.display, "not a CycloneDX XML document (<bom>)", "line 1")
        doc: dict[str, Any] = {"bomFormat": "CycloneDX"}
        places: dict[str, int] = {}
        metadata = _child(root, "metadata")
        if metadata is not None:
            doc["metadata"] = _metadata(metadata, lines, places)
        doc["components"] = _components(_child(root, "components"), "components", lines, places)
        return document_records(doc, places, ctx.display)


def _parse_xml(text: str, display: str) -> tuple[ET.Element, dict[int, int]]:
    """The root element and the line of each element; InputError on bad or unsafe XML."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(display, f"invalid XML: {exc}", f"line {line} column {column}") from exc
    except DefusedXmlException as exc:
        raise InputError(display, f"refused XML: {exc}") from exc
    return root, builder.lines


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c.tag) == name), None)


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _text(element: ET.Element | None, name: str) -> str | None:
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text else None


def _metadata(element: ET.Element, lines: dict[int, int], places: dict[str, int]) -> dict[str, Any]:
    """metadata in its JSON shape: timestamp, tool names, the subject component."""
    found: dict[str, Any] = {"timestamp": _text(element, "timestamp")}
    tools = _child(element, "tools")
    if tools is not None:
        found["tools"] = [t.text or "" for t in tools.iter() if _local(t.tag) == "name"]
    subject = _child(element, "component")
    if subject is not None:
        places["metadata.component"] = lines.get(id(subject), 0) or 1
        found["component"] = _component(subject, "metadata.component", lines, places)
    return found


def _components(
    parent: ET.Element | None, place: str, lines: dict[int, int], places: dict[str, int]
) -> list[dict[str, Any]]:
    """The <component> children of a <components> element, as JSON objects."""
    found = []
    for index, element in enumerate(_children(parent, "component")):
        child_place = f"{place}[{index}]"
        if id(element) in lines:
            places[child_place] = lines[id(element)]
        found.append(_component(element, child_place, lines, places))
    return found


def _component(
    element: ET.Element, place: str, lines: dict[int, int], places: dict[str, int]
) -> dict[str, Any]:
    """One component in its JSON shape, nested components included."""
    occurrences = _child(_child(element, "evidence"), "occurrences")
    return {
        "type": element.get("type"),
        "bom-ref": element.get("bom-ref"),
        "name": _text(element, "name"),
        "version": _text(element, "version"),
        "purl": _text(element, "purl"),
        "hashes": [
            {"alg": h.get("alg"), "content": (h.text or "").strip()}
            for h in _children(_child(element, "hashes"), "hash")
        ],
        "properties": [
            {"name": p.get("name"), "value": (p.text or "").strip()}
            for p in _children(_child(element, "properties"), "property")
        ],
        "evidence": {
            "occurrences": [
                {"location": _text(o, "location")} for o in _children(occurrences, "occurrence")
            ]
        },
        "components": _components(
            _child(element, "components"), f"{place}.components", lines, places
        ),
    }


SOURCE = CycloneDxXmlSource()

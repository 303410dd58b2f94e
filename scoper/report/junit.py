"""JUnit XML for ``scoper check``: one test case per finding (CI test-report panels)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO
from xml.etree import ElementTree as ET

from scoper.report.base import RenderOptions, Result, Subject, check_only
from scoper.report.check_rows import refused_ages
from scoper.scope.check import CheckResult


@dataclass(frozen=True, slots=True)
class JunitRenderer:
    """One test suite; failing findings are failures, the rest pass with a note."""

    name: str = "junit"
    suffix: str = ".xml"
    media_type: str = "application/xml"
    subjects: frozenset[Subject] = frozenset({Subject.CHECK})
    summary: str = "JUnit XML for CI test reports"

    def render(self, result: Result, out: TextIO, options: RenderOptions) -> None:
        out.write(render_junit(check_only(self.name, result), options.fail_on))


def render_junit(result: CheckResult, threshold: str) -> str:
    """The suite; with no findings, one passing case per advisory checked."""
    failing = set(result.failing(threshold))
    suite = ET.Element("testsuite", name="scoper check", tests="0", failures="0")
    for f in result.findings:
        case = ET.SubElement(
            suite, "testcase", classname=f.file, name=f"{f.advisory} {f.package} {f.version}"
        )
        text = f"{f.file}:{f.line or 1}: {f.fact} [{f.confidence}]"
        if f in failing:
            ET.SubElement(
                case, "failure", message=f"{f.package} {f.version}: {f.advisory}"
            ).text = text
        else:
            ET.SubElement(case, "system-out").text = f"below --fail-on: {text}"
    failures = len(failing) + _policy_cases(suite, result)
    if not result.findings:
        for adv in result.advisories:
            ET.SubElement(suite, "testcase", classname="advisories", name=adv)
    for warning in result.warnings:
        ET.SubElement(suite, "system-err").text = warning
    suite.set("tests", str(len(suite.findall("testcase"))))
    suite.set("failures", str(failures))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _policy_cases(suite: ET.Element, result: CheckResult) -> int:
    """A case per coverage gap (failing unless allowed) and per refused version; returns
    how many fail."""
    failures = 0
    for g in result.gaps:
        case = ET.SubElement(
            suite, "testcase", classname=g.file, name=f"gap {g.kind.value} {g.subject}"
        )
        text = f"{g.file}:{g.line or 1}: {g.detail} (--allow {g.kind.value})"
        if g.allowed:
            ET.SubElement(case, "system-out").text = f"allowed: {text}"
        else:
            ET.SubElement(case, "failure", message=f"coverage gap: {g.kind.value}").text = text
            failures += 1
    for a in refused_ages(result):
        case = ET.SubElement(
            suite, "testcase", classname=a.file, name=f"min-age {a.package} {a.version}"
        )
        message = f"--min-age {result.min_age}: {a.status.value}"
        ET.SubElement(case, "failure", message=message).text = f"{a.file}:{a.line or 1}: {a.detail}"
        failures += 1
    for entry in result.expired:
        case = ET.SubElement(suite, "testcase", classname="ignore-file", name=entry)
        ET.SubElement(case, "failure", message="expired ignore entry").text = entry
        failures += 1
    return failures

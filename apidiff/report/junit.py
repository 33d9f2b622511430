"""JUnit XML for CI test-report views (Jenkins, GitLab, Azure Pipelines, the JUnit actions on GitHub).

``<testsuites>`` holding one ``<testsuite name="apidiff">``; one ``<testcase>`` per change, in report
order, with ``classname`` the rule id and ``name`` the subject. A change whose severity reaches
``fail_on`` (``breaking``, the default; ``dangerous``, ``safe`` or ``never``, as ``--fail-on`` and
:meth:`Report.fails <apidiff.core.result.Report.fails>`) gets a ``<failure>`` with the message as its
``message``, the severity as its ``type`` and the details (message, location, verdicts) as its text;
the others pass with the same details in ``<system-out>``. Report warnings go to the suite's
``<system-out>``. Characters that XML 1.0 cannot hold are replaced by U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from apidiff.core.change import Change, Severity
from apidiff.core.result import FAIL_ON, Report
from apidiff.report._common import summary_line, used_by

# XML 1.0 §2.2 Char: tab, newline, carriage return and everything from U+0020 but surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def fails(change: Change, fail_on: str) -> bool:
    """Whether ``change`` reaches ``fail_on``, with the ordering of :meth:`Report.fails`."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
    return fail_on != "never" and change.severity >= Severity(fail_on)


def _details(change: Change) -> str:
    lines = [change.message, f"rule: {change.id}", f"severity: {change.severity.value} "
             f"(backward {change.backward.value}, forward {change.forward.value}, direction {change.direction.value})"]
    if change.new_location is not None:
        lines.append(f"new: {change.new_location}")
    if change.old_location is not None:
        lines.append(f"old: {change.old_location}")
    return "\n".join(lines) + "\n"


def render(report: Report, *, fail_on: str = "breaking", **_: Any) -> str:
    failed = [fails(c, fail_on) for c in report.changes]
    counts = {"tests": str(len(report.changes)), "failures": str(sum(failed)), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "apidiff", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "apidiff", **counts})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("old", report.old.source), ("new", report.new.source), ("kind", report.new.kind),
                        ("mode", report.mode.value), ("fail-on", fail_on), ("summary", summary_line(report))):
        ET.SubElement(properties, "property", {"name": name, "value": _xml(value)})
    users = report.users()
    for change, failure in zip(report.changes, failed, strict=True):
        case = ET.SubElement(suite, "testcase", {"classname": _xml(change.id), "name": _xml(change.subject)})
        use = used_by(report, change, users, limit=20)
        if failure:
            node = ET.SubElement(case, "failure", {"message": _xml(change.message), "type": change.severity.value})
        else:
            node = ET.SubElement(case, "system-out")
        node.text = _xml(_details(change) + (f"{use}\n" if use else ""))
    if report.warnings:
        ET.SubElement(suite, "system-out").text = _xml("".join(f"warning: {w}\n" for w in report.warnings))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""Renderers: one module per output format, each ``render(report, **options) -> str``."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from apidiff.core.result import Report

FORMATS = ("text", "markdown", "json", "html", "sarif", "junit", "github")


def render(report: Report, format: str, **options: Any) -> str:
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"apidiff.report.{format if format != 'json' else 'json_'}")
    return str(module.render(report, **options))


def render_many(reports: Sequence[Report], format: str, *, base: str | None = None, **options: Any) -> str:
    """Several comparisons (``apidiff diff --base REF PATH…``) in one output of ``format``.

    One report renders as :func:`render` does. Several: text, Markdown and GitHub commands one
    after the other; JSON an array of ``{"schema", "base", "report"}``; SARIF one log with a run
    per schema; JUnit one ``<testsuites>`` with a suite per schema. HTML shows one comparison.
    ``base`` is the revision the schemas were compared with (JSON's ``base``)."""
    if len(reports) == 1:
        return render(reports[0], format, **options)
    if format == "json":
        import json

        return json.dumps([{"schema": r.new.source, "base": base or r.old.source, "report": r.to_dict()}
                           for r in reports],
                          indent=2, ensure_ascii=False) + "\n"
    if format == "sarif":
        import json

        from apidiff.report.sarif import to_sarif

        logs = [to_sarif(r) for r in reports]
        merged = dict(logs[0])
        merged["runs"] = [run for log in logs for run in log["runs"]]
        return json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    if format == "junit":
        import xml.etree.ElementTree as ET

        root = ET.Element("testsuites", {"name": "apidiff"})
        totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
        for r in reports:
            for suite in ET.fromstring(render(r, "junit", **options)):
                suite.set("name", f"apidiff {r.new.source}")
                for key in totals:
                    totals[key] += int(suite.get(key, "0"))
                root.append(suite)
        root.attrib.update({key: str(value) for key, value in totals.items()})
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    if format == "html":
        from apidiff.core.errors import ApidiffError

        raise ApidiffError("the HTML report shows one comparison: name one PATH, or use --format markdown")
    return "\n".join(render(r, format, **options) for r in reports)

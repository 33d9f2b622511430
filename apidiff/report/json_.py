"""The JSON report (the stable contract described in docs/json-report.md)."""

from __future__ import annotations

from typing import Any

from apidiff.core.result import Report
from apidiff.report._common import load_format


def render(report: Report, **_: Any) -> str:
    load_format(report)  # the report's format gives the grouping hook the JSON's groups come from
    return report.to_json() + "\n"

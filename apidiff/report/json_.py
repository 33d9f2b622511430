"""The JSON report (the stable contract described in docs/json-report.md)."""

from __future__ import annotations

from typing import Any

from apidiff.core.result import Report


def render(report: Report, **_: Any) -> str:
    return report.to_json() + "\n"

"""Renderers: one module per output format, each ``render(report, **options) -> str``."""

from __future__ import annotations

import importlib
from typing import Any

from apidiff.diff.result import Report

FORMATS = ("text", "markdown", "json", "html", "sarif", "junit", "github")


def render(report: Report, format: str, **options: Any) -> str:
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"apidiff.report.{format if format != 'json' else 'json_'}")
    return str(module.render(report, **options))

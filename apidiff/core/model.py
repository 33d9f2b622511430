"""What every format's model is built from: the loaded document (:class:`Api`) and deprecations.

Pure data, no I/O, no verdicts. Each format subclasses :class:`Api` with its own collections
(GraphQL types and directives, HTTP operations and schemas, …); the core only reads the fields
declared here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from apidiff.core.location import Location


@dataclass(frozen=True, slots=True)
class Deprecation:
    """An element is deprecated; ``sunset`` is the announced removal date, when known."""

    reason: str | None = None
    sunset: date | None = None
    since: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Api:
    """One loaded document (or folder of documents): the root of a format's model.

    ``kind`` is the name of the format that loaded it (see :mod:`apidiff.formats`)."""

    kind: str
    source: str  # what the user named: a path, "<text>", "<stdin>"
    version: str | None = None  # the format's version ("3.0.3"), or None
    api_version: str | None = None  # the API's own version (info.version), when the format has one
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # Finds line/column for locations that only carry a pointer (see Location).
    locate: Callable[[Location], Location] | None = field(default=None, compare=False, repr=False)

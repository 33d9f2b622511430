"""Consumer usage: which clients a comparison breaks, from their GraphQL operations or HTTP traffic.

``--usage`` takes paths and globs. Each file is read once and handed to the reader of its kind:

- GraphQL documents (``.graphql``, ``.gql``, ``.graphqls``): operations and fragments;
- persisted-query maps (``{"id": "query …"}``) and operation manifests (``{"operations": [...]}``), JSON;
- HAR files (``.har``, or JSON with a ``log`` member), JSON-lines traffic (``.jsonl``, ``.ndjson``,
  or lines that start with ``{``) and access logs in the common or combined log format (anything else).

A file's default consumer is the first folder below the glob's fixed part (``clients/web/…`` →
``web`` for ``clients/**/*.graphql``); a ``# consumer: name`` comment in a GraphQL file and the
traffic's own consumer key (user agent, or ``consumer_key``) take precedence.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from apidiff.errors import SourceError, UsageError
from apidiff.sources import GRAPHQL_SUFFIXES, Text, read_text
from apidiff.usage.model import UNKNOWN_CONSUMER, Impact, ImpactReport, Usage

if TYPE_CHECKING:
    from apidiff.diff.change import Change
    from apidiff.model.graph import Api

__all__ = ["Impact", "ImpactReport", "Usage", "UsageFile", "UsageSet", "load_usage"]

GRAPHQL_KINDS = ("graphql", "persisted", "manifest")
# traffic is bigger than schemas: a million-line combined log is ~130 MB (read() keeps its own
# memory flat; the text itself is the peak, about twice the file's size)
USAGE_MAX_BYTES = 1024 * 1024 * 1024
HTTP_KINDS = ("har", "jsonl", "access-log")


@dataclass(frozen=True, slots=True)
class UsageFile:
    """One usage file: its text, its kind (one of GRAPHQL_KINDS or HTTP_KINDS) and default consumer."""

    text: Text
    kind: str
    consumer: str


class UsageSet:
    """The usages read from all ``--usage`` files, ready to be assessed against a comparison."""

    def __init__(self, files: Sequence[UsageFile], *, consumer_key: str | None = None) -> None:
        from apidiff.usage import graphql, http

        self.files = tuple(files)
        self.graphql = graphql.read([f for f in files if f.kind in GRAPHQL_KINDS])
        self.http = http.read([f for f in files if f.kind in HTTP_KINDS], consumer_key=consumer_key)

    @property
    def usages(self) -> tuple[Usage, ...]:
        return tuple(self.graphql.usages) + tuple(self.http.usages)

    def assess(self, changes: Sequence[Change], old: Api, new: Api) -> ImpactReport:
        """Which usages the changes (of the comparison of ``old`` with ``new``) touch."""
        if old.kind == "graphql":
            if self.http.usages:
                raise UsageError("HTTP traffic cannot be checked against a GraphQL schema",
                                 file=self.http.usages[0].file)
            impacts = self.graphql.assess(changes, old, new)
            usages = self.graphql.usages
        else:
            if self.graphql.usages:
                raise UsageError("GraphQL operations cannot be checked against an OpenAPI document",
                                 file=self.graphql.usages[0].file)
            impacts = self.http.assess(changes, old, new)
            usages = self.http.usages
        ordered = sorted(impacts, key=lambda i: (i.usage.consumer, i.usage.operation, i.usage.file, i.usage.line))
        consumers: dict[str, int] = {}
        for usage in usages:
            consumers[usage.consumer] = consumers.get(usage.consumer, 0) + 1
        notes = tuple(getattr(self.graphql, "notes", ())) + tuple(getattr(self.http, "notes", ()))
        return ImpactReport(usages=len(usages), impacts=tuple(ordered), sources=tuple(f.text.name for f in self.files),
                            consumers=consumers, notes=notes)


def load_usage(patterns: Sequence[str | Path], *, consumer_key: str | None = None) -> UsageSet:
    """Read the usage files that ``patterns`` (paths, folders or globs) name."""
    files: list[UsageFile] = []
    seen: set[Path] = set()
    for pattern in patterns:
        for path, base in _expand(str(pattern)):
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            text = read_text(path, max_bytes=USAGE_MAX_BYTES)
            files.append(UsageFile(text, detect(text), default_consumer(path, base)))
    return UsageSet(files, consumer_key=consumer_key)


def _expand(pattern: str) -> list[tuple[Path, Path]]:
    """(file, the pattern's fixed base folder) for each file a path, folder or glob names."""
    if not glob.has_magic(pattern):
        path = Path(pattern)
        if path.is_dir():
            found = [p for p in sorted(path.rglob("*")) if p.is_file() and not _hidden(p.relative_to(path))]
            if not found:
                raise UsageError("folder holds no usage file", file=pattern)
            return [(p, path) for p in found]
        if not path.exists():
            raise SourceError("no such file or folder", file=pattern)
        return [(path, path.parent)]
    parts = Path(pattern).parts
    fixed = [p for p in parts[: next(i for i, p in enumerate(parts) if glob.has_magic(p))]]
    base = Path(*fixed) if fixed else Path(".")
    found = sorted(Path(p) for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    if not found:
        raise UsageError("the pattern matches no file", file=pattern)
    return [(p, base) for p in found]


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def default_consumer(path: Path, base: Path) -> str:
    """The first folder below ``base`` on the way to ``path``; the base folder's name when none."""
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        parts = ()
    if len(parts) > 1:
        return parts[0]
    name = (base.resolve().name if base != Path(".") else Path.cwd().name) or UNKNOWN_CONSUMER
    return name


def detect(text: Text) -> str:
    """The kind of a usage file, from its name and, where that is not enough, its content."""
    name = text.name.lower()
    if name.endswith(GRAPHQL_SUFFIXES):
        return "graphql"
    if name.endswith(".har"):
        return "har"
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    head = text.text.lstrip()
    if name.endswith(".json") or head.startswith(("{", "[")):
        try:
            data = json.loads(text.text)
        except ValueError:
            if head.startswith("{"):
                return "jsonl"  # several JSON objects, one per line
            raise UsageError("not valid JSON", file=text.name) from None
        if isinstance(data, dict):
            if isinstance(data.get("log"), dict):
                return "har"
            if isinstance(data.get("operations"), list):
                return "manifest"
            if data and all(isinstance(v, str) for v in data.values()):
                return "persisted"
        raise UsageError("JSON usage must be a HAR file, a persisted-query map {id: query} or an operation "
                         "manifest {\"operations\": [...]}", file=text.name)
    return "access-log"

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
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apidiff.core._yaml import loads_json
from apidiff.core.errors import SourceError, UsageError
from apidiff.core.format import BAD_JSON, NOT_JSON, UNREAD, Format, UsageReader
from apidiff.core.sources import Text, read_text
from apidiff.core.usage import UNKNOWN_CONSUMER, Impact, ImpactReport, Usage, UsageFile
from apidiff.formats import formats

if TYPE_CHECKING:
    from apidiff.core.change import Change
    from apidiff.core.model import Api

__all__ = ["Impact", "ImpactReport", "Usage", "UsageFile", "UsageSet", "load_usage"]

# traffic is bigger than schemas: a million-line combined log is ~130 MB (read() keeps its own
# memory flat; the text itself is the peak, about twice the file's size)
USAGE_MAX_BYTES = 1024 * 1024 * 1024


class UsageSet:
    """The usages read from all ``--usage`` files, ready to be assessed against a comparison."""

    def __init__(self, files: Sequence[UsageFile], *, consumer_key: str | None = None,
                 consumer_version: bool = False) -> None:
        self.files = tuple(files)
        self.readers: dict[str, tuple[Format, UsageReader]] = {}
        for fmt in formats():
            if fmt.usage_kinds:
                mine = [f for f in files if f.kind in fmt.usage_kinds]
                self.readers[fmt.name] = (fmt, fmt.read_usage(mine, consumer_key=consumer_key,
                                                              consumer_version=consumer_version))

    @property
    def usages(self) -> tuple[Usage, ...]:
        return tuple(u for _, reader in self.readers.values() for u in reader.usages)

    def assess(self, changes: Sequence[Change], old: Api, new: Api) -> ImpactReport:
        """Which usages the changes (of the comparison of ``old`` with ``new``) touch."""
        for fmt, reader in self.readers.values():
            if fmt.name != old.kind and reader.usages:
                target = _format(old.kind)
                raise UsageError(f"{fmt.usage_noun} cannot be checked against {target.document_noun}",
                                 file=reader.usages[0].file)
        own = self.readers.get(old.kind)
        impacts = own[1].assess(changes, old, new) if own is not None else []
        usages = tuple(own[1].usages) if own is not None else ()
        ordered = sorted(impacts, key=lambda i: (i.usage.consumer, i.usage.operation, i.usage.file, i.usage.line))
        consumers: dict[str, int] = {}
        for usage in usages:
            consumers[usage.consumer] = consumers.get(usage.consumer, 0) + 1
        notes = tuple(n for _, reader in self.readers.values() for n in getattr(reader, "notes", ()))
        return ImpactReport(usages=len(usages), impacts=tuple(ordered), sources=tuple(f.text.name for f in self.files),
                            consumers=consumers, notes=notes, unit=_format(old.kind).usage_unit)


def load_usage(patterns: Sequence[str | Path], *, consumer_key: str | None = None,
               consumer_version: bool = False) -> UsageSet:
    """Read the usage files that ``patterns`` (paths, folders or globs) name. Traffic's consumers are
    named by ``consumer_key`` (a header or field) or their User-Agent's product token (``pet-web``);
    ``consumer_version`` keeps their versions apart (``pet-web/1.4``, ``pet-web/1.5``)."""
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
    return UsageSet(files, consumer_key=consumer_key, consumer_version=consumer_version)


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
    """The kind of a usage file, from its name and, where that is not enough, its content: the
    first format that claims it (see :meth:`apidiff.core.format.Format.usage_kind`)."""
    kind = _claim(text, UNREAD)
    if kind is not None:
        return kind
    head = text.text.lstrip()
    if text.name.lower().endswith(".json") or head.startswith(("{", "[")):
        try:
            data = loads_json(text.text)
        except ValueError:
            kind = _claim(text, BAD_JSON)
            if kind is None:
                raise UsageError("not valid JSON", file=text.name) from None
            return kind
        kind = _claim(text, data)
        if kind is None:
            kinds = sorted(k for fmt in formats() for k in fmt.usage_json)
            listed = ", ".join(kinds[:-1]) + " or " + kinds[-1] if len(kinds) > 1 else "".join(kinds)
            raise UsageError(f"JSON usage must be {listed}", file=text.name)
        return kind
    kind = _claim(text, NOT_JSON)
    if kind is None:
        raise UsageError("not a usage file this tool reads", file=text.name)
    return kind


def _claim(text: Text, data: object) -> str | None:
    for fmt in formats():
        kind = fmt.usage_kind(text, data)
        if kind is not None:
            return kind
    return None


def _format(name: str) -> Format:
    from apidiff.formats import get

    return get(name)

"""Protobuf: ``.proto`` sources (a file, a folder, a buf module) and images (``FileDescriptorSet``, binary or buf's
JSON), compared by number with ``buf breaking``'s rules, each change judged on three surfaces: ``wire`` (the
binary encoding), ``json`` (the proto3 JSON mapping) and ``source`` (generated code).

Sources are compiled by protoc from ``grpcio-tools`` (``pip install 'apidiff[protobuf]'``); images need only
``protobuf``. buf's categories (``FILE``, ``PACKAGE``, ``WIRE_JSON``, ``WIRE``) are profiles: which of buf's
rules fail (``--profile``, or the ``breaking`` section of the new side's ``buf.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any, cast

from apidiff.core.change import Change, Mode
from apidiff.core.errors import LoadError
from apidiff.core.format import Certainty, Detected, Format, LoadOptions
from apidiff.core.groups import Facet
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.rule import Rule
from apidiff.core.sources import LOCAL, Files, Text

__all__ = ["FORMAT", "Protobuf"]

IMAGE_SUFFIXES = (".binpb", ".pb", ".bin", ".desc", ".protoset", ".fds")
_SYNTAX = re.compile(r"^\s*(?:syntax|edition)\s*=\s*[\"']", re.MULTILINE)
_PACKAGE = re.compile(r"^\s*package\s+[A-Za-z_][\w.]*\s*;", re.MULTILINE)
_FIELD = re.compile(r"^\s*(?:message|enum|service)\s+[A-Za-z_]\w*\s*\{[^}]*?=\s*\d+\s*[;\[]", re.MULTILINE | re.DOTALL)
_COMMENTS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


class Protobuf(Format):
    name = "protobuf"
    labels = ("protobuf", "proto", "protobuf-image")
    title = "Protobuf"
    document_noun = "a Protobuf schema"
    text_starts = ("syntax", "edition", "package")
    folder_suffixes = (".proto",)
    folder_noun = "Protobuf (.proto)"

    def claims_path(self, path: Path) -> bool:
        if path.is_dir():
            return (path / "buf.yaml").is_file() or (path / "buf.work.yaml").is_file()
        return path.suffix.lower() in IMAGE_SUFFIXES

    def load_path(self, path: Path, source: str, options: LoadOptions = LoadOptions()) -> Api:
        return cast(Api, _inputs(source).load_path(path, source))

    def detect(self, text: str) -> Detected | None:
        head = text[:65536]
        start = _COMMENTS.match(head)
        rest = head[start.end():] if start is not None else head
        if rest.startswith("{"):
            if re.match(r'\{\s*"file"\s*:\s*\[', rest):
                return Detected("protobuf-image", Certainty.CERTAIN)
            return None
        if _SYNTAX.match(rest) or _PACKAGE.match(rest):
            return Detected("protobuf", Certainty.CERTAIN)
        if _FIELD.search(head):
            return Detected("protobuf", Certainty.LIKELY)
        return None

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        inputs = _inputs(source)
        if label == "protobuf-image":
            return cast(Api, inputs.load_json_image(texts[0], source))
        return cast(Api, inputs.load_texts(texts, source, Path(path) if path is not None else None))

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        from apidiff.formats.protobuf.match import pairs

        return pairs(old, new)  # type: ignore[arg-type]

    def group_facet(self, change: Change) -> Facet:
        rule = self._by_id().get(change.id)
        kind = rule.kind if rule is not None else ""
        subject = change.subject
        if kind in ("field", "enum-value", "rpc"):
            owner, _, member = subject.rpartition(".")
            return Facet(element=owner, member=member, place=owner, shared=member, noun="messages", area=owner)
        return Facet(element="", member=subject, area=subject)

    def adjust(self, changes: list[Change], old: Api, new: Api, *, mode: Mode,
               profile: str | None = None) -> list[Change]:
        from apidiff.formats.protobuf.profiles import apply

        return apply(changes, old, new, mode, profile, self._by_id(), self.pairs)  # type: ignore[arg-type]

    def _by_id(self) -> dict[str, Rule]:
        """The format's rules by id, built once (asked for every change the reports group)."""
        if self._rules_by_id is None:
            self._rules_by_id = {r.id: r for r in self.rules()}
        return self._rules_by_id

    _rules_by_id: dict[str, Rule] | None = None


def _inputs(source: str) -> Any:
    """The input readers, which need the ``protobuf`` package (the ``protobuf`` extra)."""
    try:
        from apidiff.formats.protobuf import inputs
    except ImportError:
        raise LoadError("reading Protobuf needs the protobuf extra: pip install 'apidiff[protobuf]'",
                        file=source) from None
    return inputs


FORMAT = Protobuf()

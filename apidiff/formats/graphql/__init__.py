"""GraphQL: SDL (files, folders, ``extend``), introspection results, and client operations as usage.

=============  =====================================================================
``load``       SDL and introspection → :class:`~apidiff.formats.graphql.model.GraphQLApi`
``model``      types, fields, arguments, input fields, enum values, directives, roots
``reach``      which types are read in inputs and which in outputs
``match``      pairs by name, parents before children
``rules/``     the rule declarations, one module per family
``plan``       deprecation plans: ``@deprecated`` snippets and SDL edits
``guide``      the migration guide: root fields and example operations
``samples``    example operations, validated against each side
``usage``      client operations (files, persisted queries, manifests) against both schemas
=============  =====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Change
from apidiff.core.format import Certainty, Detected, Format, LoadOptions, UsageReader
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.sources import LOCAL, Files, Text

if TYPE_CHECKING:
    from apidiff.core.groups import Facet
    from apidiff.core.usage import UsageFile

# a line that starts a type-system definition: `type Query {`, `extend type X @k`, `scalar Date`,
# `union U = A | B`, `schema {`, `directive @d on FIELD` (not `type: object`, nor prose: "type the name")
_DEFINITION = re.compile(
    r"^[ \t]*(?:extend[ \t]+)?(?:(?:type|interface|input|enum|union|scalar)[ \t]+[_A-Za-z]\w*[ \t]*"
    r"(?:$|[{@=#]|implements\b)|schema[ \t]*(?:$|[{@#])|directive[ \t]+@)", re.MULTILINE)
_SNIFF = 65_536
_IGNORED = re.compile(r"(?:[\s,\ufeff]+|#[^\n\r]*)*")  # what GraphQL skips between tokens
_NAME = re.compile(r"[_A-Za-z]\w*")
_FIRST_WORDS = frozenset({"type", "interface", "union", "enum", "input", "scalar", "directive", "extend", "schema",
                          "query", "mutation", "subscription", "fragment"})

SUFFIXES = (".graphql", ".graphqls", ".gql")


class GraphQL(Format):
    name = "graphql"
    labels = ("graphql", "introspection")
    title = "GraphQL"
    document_noun = "a GraphQL schema"
    text_starts = ("type", "schema", "interface", "union", "enum", "input", "scalar", "directive", "extend", '"""')
    folder_suffixes = SUFFIXES
    folder_noun = "GraphQL SDL"
    parallel = True  # parsing SDL dominates and the graph pickles fast (GitHub's pair: 0.88 s instead of 1.23 s)
    renameable = frozenset({"type", "field", "argument", "input-field"})
    usage_noun = "GraphQL operations"
    usage_kinds = ("graphql", "persisted", "manifest")
    usage_unit = "operations"
    usage_json = ("a persisted-query map {id: query}", "an operation manifest {\"operations\": [...]}")

    def detect(self, text: str) -> Detected | None:
        head = text.lstrip()[:4096]
        if head.startswith("{"):
            if '"__schema"' in text[:1_000_000] or '"__schema"' in text:
                return Detected("introspection", Certainty.CERTAIN)
            return None
        # SDL has no marker. Its first token is a definition keyword, a description or "{": a text
        # that starts otherwise (a README, prose, a log, YAML) is not a schema, found without
        # importing graphql-core. A text with a definition line may be SDL (the loader locates its
        # syntax errors); one without is SDL only if it parses. Both look at the first 64 KiB.
        first = _IGNORED.match(text, 0, _SNIFF)
        start = first.end() if first is not None else 0
        word = _NAME.match(text, start, start + 32)
        if start < _SNIFF and not text.startswith(("{", '"'), start) and \
                (word is None or word.group(0) not in _FIRST_WORDS):
            return None
        if _DEFINITION.search(text, 0, _SNIFF):
            return Detected("graphql", Certainty.FALLBACK)
        from graphql import GraphQLError, parse

        head = text[:_SNIFF]
        try:
            parse(head, no_location=True)
        except GraphQLError as exc:
            where = next(iter(exc.positions or [0]))
            if len(head) == len(text) or where < len(head) - 1024:
                return None  # not cut off by the 64 KiB: it is no SDL
        except RecursionError:
            pass  # the loader reports the depth
        return Detected("graphql", Certainty.FALLBACK)

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        from apidiff.formats.graphql.load import load_introspection, load_sdl

        if label == "introspection" and len(texts) == 1:
            return load_introspection(texts[0], source)
        return load_sdl(texts, source)

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        from apidiff.formats.graphql.match import pairs

        return pairs(old, new)  # type: ignore[arg-type]

    def changelog_group(self, change: Change) -> str:
        subject = change.subject
        if subject.startswith("directive "):
            return subject
        if subject.startswith("@"):
            return subject.split("(", 1)[0]
        return super().changelog_group(change)

    def group_facet(self, change: Change) -> Facet:
        from apidiff.formats.graphql.groups import facet

        return facet(change)

    def usage_kind(self, text: Text, data: object) -> str | None:
        from apidiff.core.format import UNREAD

        if data is UNREAD:
            return "graphql" if text.name.lower().endswith(SUFFIXES) else None
        if isinstance(data, dict):
            if isinstance(data.get("operations"), list):
                return "manifest"
            if data and all(isinstance(v, str) for v in data.values()):
                return "persisted"
        return None

    def read_usage(self, files: Sequence[UsageFile], *, consumer_key: str | None = None,
                   consumer_version: bool = False) -> UsageReader:
        from apidiff.formats.graphql.usage import read

        return read(files)  # type: ignore[return-value]


FORMAT = GraphQL()

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

from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Change
from apidiff.core.format import Certainty, Detected, Format, LoadOptions, UsageReader
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.sources import LOCAL, Files, Text

if TYPE_CHECKING:
    from apidiff.core.usage import UsageFile

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
        return Detected("graphql", Certainty.FALLBACK)  # SDL has no marker: anything else may be SDL

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

    def read_usage(self, files: Sequence[UsageFile], *, consumer_key: str | None = None) -> UsageReader:
        from apidiff.formats.graphql.usage import read

        return read(files)  # type: ignore[return-value]


FORMAT = GraphQL()

"""OpenAPI: Swagger 2.0, OpenAPI 3.0 and 3.1, YAML or JSON, multi-file ``$ref``; HTTP traffic as usage.

=============  =====================================================================
``load``       documents → :class:`~apidiff.formats.openapi.model.HttpApi` (schemas in the
               JSON Schema model of :mod:`apidiff.formats.jsonschema`, refs resolved there)
``model``      operations, parameters, bodies, responses, security schemes
``reach``      which named schemas are read in requests and which in responses
``match``      operations by method and path template, parameters, media types, schemas
``rules/``     the rule declarations, one module per family; oasdiff's ids as equivalents
``plan``       deprecation plans: ``deprecated: true`` + ``x-sunset`` snippets and edits
``guide``      the migration guide: operations and example requests/responses
``samples``    example requests and responses from the schemas
``places``     which operations and positions a change reaches
``usage``      HTTP traffic (HAR, JSON lines, access logs) against the routes
``validate``   ``--validate`` with openapi-spec-validator
=============  =====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from apidiff.core.change import Change
from apidiff.core.format import BAD_JSON, NOT_JSON, UNREAD, Certainty, Detected, Format, LoadOptions, UsageReader
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.sources import LOCAL, Files, Text

if TYPE_CHECKING:
    from apidiff.core.groups import Facet
    from apidiff.core.usage import UsageFile

_OPENAPI = re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)
_TOP_LEVEL_OPENAPI = re.compile(r"""^["']?(openapi|swagger)["']?[ \t]*:""", re.MULTILINE)
METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY")


class OpenApi(Format):
    name = "openapi"
    labels = ("openapi",)
    title = "OpenAPI"
    document_noun = "an OpenAPI document"
    uses = ("jsonschema",)
    text_starts = ("openapi:", "swagger:", "---")
    renameable = frozenset({"property", "operation", "schema-component"})
    usage_noun = "HTTP traffic"
    usage_kinds = ("har", "jsonl", "access-log")
    usage_unit = "routes"
    usage_json = ("a HAR file",)

    def detect(self, text: str) -> Detected | None:
        head = text.lstrip()[:4096]
        if head.startswith("{"):
            return Detected("openapi", Certainty.LIKELY)  # a JSON object; its keys are checked by the loader
        if _OPENAPI.search(head) or _TOP_LEVEL_OPENAPI.search(text):  # YAML keys may come in any order
            return Detected("openapi", Certainty.CERTAIN)
        return None

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        from apidiff.core._yaml import parse_document
        from apidiff.formats.jsonschema.refs import Resolver
        from apidiff.formats.openapi.load import load_openapi

        resolver = Resolver(texts[0], lambda t: parse_document(t.text, t.name), root_path=path,
                            allow_remote=options.allow_remote_refs, files=files)
        return load_openapi(resolver, source, options.sunset_extension)

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        from apidiff.formats.openapi.match import HttpMatcher

        return HttpMatcher(old, new).pairs()  # type: ignore[arg-type]

    def rename_key(self, pair: Pair[Any]) -> tuple[tuple[str, str], str]:
        if pair.kind == "operation":  # a renamed path keeps its method
            method = str(getattr(pair.old or pair.new, "method", ""))
            return (pair.kind, method), pair.subject.split(" ", 1)[-1]
        return super().rename_key(pair)

    def changelog_group(self, change: Change) -> str:
        """The operation (``GET /pets``, ``webhook newPet POST``), or the schema or scheme."""
        subject = change.subject
        words = subject.split(" ")
        if words[0] in METHODS and len(words) > 1:
            return f"{words[0]} {words[1]}"
        if words[0] == "webhook" and len(words) > 2:
            return " ".join(words[:3])
        if subject.startswith("security scheme "):
            return subject
        return super().changelog_group(change)

    def group_facet(self, change: Change) -> Facet:
        from apidiff.formats.openapi.groups import facet

        return facet(change)

    def usage_kind(self, text: Text, data: object) -> str | None:
        name = text.name.lower()
        if data is UNREAD:
            if name.endswith(".har"):
                return "har"
            if name.endswith((".jsonl", ".ndjson")):
                return "jsonl"
            return None
        if data is BAD_JSON:
            return "jsonl" if text.text.lstrip().startswith("{") else None  # several JSON objects, one per line
        if data is NOT_JSON:
            return "access-log"
        if isinstance(data, dict) and isinstance(data.get("log"), dict):
            return "har"
        return None

    def read_usage(self, files: Sequence[UsageFile], *, consumer_key: str | None = None,
                   consumer_version: bool = False) -> UsageReader:
        from apidiff.formats.openapi.usage import read

        return read(files, consumer_key=consumer_key, consumer_version=consumer_version)  # type: ignore[return-value]

    def show_example(self, text: str) -> tuple[str, str]:
        """Examples are JSON text (cheap to build); they are shown as YAML, as most people write them."""
        import json

        import yaml

        return "yaml", yaml.safe_dump(json.loads(text), sort_keys=False).rstrip()

    def validate(self, path: Path) -> list[str]:
        from apidiff.formats.openapi.validate import validate_openapi

        return validate_openapi(path)


FORMAT = OpenApi()

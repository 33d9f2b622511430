"""``--validate``: check OpenAPI documents against the specification with openapi-spec-validator.

Problems come back as one-line ``file:line:col: message`` strings; lines are found afterwards,
as for changes. Validation runs only after :func:`apidiff.load` accepted the document, so every
``$ref`` the validator may follow has already passed apidiff's folder and network checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apidiff.core.errors import ConfigError
from apidiff.core.location import Location

MAX_PROBLEMS = 50


def validate_openapi(path: Path, *, limit: int = MAX_PROBLEMS) -> list[str]:
    """The specification problems of the OpenAPI document at ``path`` (empty when valid)."""
    try:
        from openapi_spec_validator import (
            OpenAPIV2SpecValidator,
            OpenAPIV30SpecValidator,
            OpenAPIV31SpecValidator,
        )
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("--validate needs openapi-spec-validator: pip install 'apidiff[validate]'") from None
    from apidiff.core._positions import DocumentLocator
    from apidiff.core._yaml import parse_document
    from apidiff.core.sources import read_text

    text = read_text(path, display=str(path))
    doc = parse_document(text.text, text.name)
    if not isinstance(doc, dict):
        return [f"{text.name}:1:1: not an OpenAPI document (expected a mapping)"]
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    validator_class: Any = (OpenAPIV2SpecValidator if version.startswith("2") else
                            OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator)
    validator = validator_class(doc, base_uri=path.resolve().as_uri())
    locate = DocumentLocator({text.name: text.text})
    problems: list[tuple[Location, str]] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors():
        pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
        message = " ".join(str(error.message).split())
        if len(message) > 200:
            message = message[:199] + "…"
        if (pointer, message) in seen:
            continue
        seen.add((pointer, message))
        problems.append((Location(text.name, pointer=pointer), message))
        if len(problems) >= limit:
            break
    locate.resolve(loc for loc, _ in problems)
    out = []
    for loc, message in problems:
        where = locate(loc)
        out.append(f"{where.file}:{where.line}:{where.column}: {message}")
    return out

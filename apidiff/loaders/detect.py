"""Format detection by content (extensions are only a hint)."""

from __future__ import annotations

import re

_OPENAPI = re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)
_TOP_LEVEL_OPENAPI = re.compile(r"""^["']?(openapi|swagger)["']?[ \t]*:""", re.MULTILINE)


def detect(text: str) -> str:
    """Return ``"introspection"``, ``"openapi"`` or ``"graphql"`` for a document's text."""
    head = text.lstrip()[:4096]
    if head.startswith("{"):
        if '"__schema"' in text[:1_000_000] or '"__schema"' in text:
            return "introspection"
        return "openapi"
    if _OPENAPI.search(head) or _TOP_LEVEL_OPENAPI.search(text):  # YAML keys may come in any order
        return "openapi"
    return "graphql"

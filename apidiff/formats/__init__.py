"""The registry: every format apidiff reads, in detection order.

A format is a package here whose ``__init__`` defines ``FORMAT`` (see
:class:`apidiff.core.format.Format`); adding one is one line in :data:`REGISTRY`. Packages that
are not in the list are shared schema languages that formats build on (``jsonschema``), not
formats of their own.

The list is data in one place rather than entry points: detection order is part of the behaviour
(the first sure format wins ties), a typo fails loudly at import, and nothing installed beside
apidiff can change what a document is read as. A third-party format is one more line, or
:func:`register` at run time.
"""

from __future__ import annotations

import importlib
from functools import cache

from apidiff.core.errors import FormatNotDetected
from apidiff.core.format import Detected, Format
from apidiff.core.rule import Rule

__all__ = ["REGISTRY", "all_rules", "detect", "formats", "get", "get_rule", "register"]

REGISTRY: list[str] = [
    "apidiff.formats.graphql",
    "apidiff.formats.openapi",
    "apidiff.formats.protobuf",
    "apidiff.formats.thrift",
]


def register(module: str) -> None:
    """Add a format package (its dotted name) at the end of the registry."""
    if module not in REGISTRY:
        REGISTRY.append(module)
        _clear()


def _clear() -> None:
    _formats.cache_clear()
    _rules.cache_clear()
    _by_id.cache_clear()


def formats() -> tuple[Format, ...]:
    """The registered formats, in detection order."""
    return _formats(tuple(REGISTRY))


@cache
def _formats(modules: tuple[str, ...]) -> tuple[Format, ...]:
    found: list[Format] = []
    for name in modules:
        fmt = importlib.import_module(name).FORMAT
        if not isinstance(fmt, Format) or not fmt.name:
            raise TypeError(f"{name}.FORMAT is not a named apidiff.core.format.Format")
        found.append(fmt)
    return tuple(found)


def get(name: str) -> Format:
    """The format named ``name`` (or one of its labels)."""
    for fmt in formats():
        if name == fmt.name or name in fmt.labels:
            return fmt
    raise KeyError(name)


def detect(text: str, *, file: str | None = None) -> tuple[Format, str]:
    """The format of a document and its variant label: the surest claim, ties to the earlier format."""
    best: tuple[Format, Detected] | None = None
    for fmt in formats():
        claim = fmt.detect(text)
        if claim is not None and (best is None or claim.certainty > best[1].certainty):
            best = (fmt, claim)
    if best is None:
        nouns = [fmt.document_noun for fmt in formats()]
        expected = ", ".join(nouns[:-1]) + " or " + nouns[-1] if len(nouns) > 1 else "".join(nouns)
        raise FormatNotDetected(f"not a schema this tool reads (expected {expected})", file=file)
    return best[0], best[1].label


def all_rules() -> tuple[Rule, ...]:
    """Every rule of every format, sorted by id."""
    return tuple(sorted(_rules(tuple(REGISTRY)), key=lambda r: r.id))


def get_rule(rule_id: str) -> Rule:
    """The rule with this id (KeyError when there is none)."""
    return _by_id(tuple(REGISTRY))[rule_id]


@cache
def _rules(modules: tuple[str, ...]) -> tuple[Rule, ...]:
    seen: dict[int, Rule] = {}
    for fmt in _formats(modules):
        for rule in fmt.rules():
            seen.setdefault(id(rule), rule)  # a shared package's rules appear under each format that uses it
    return tuple(seen.values())


@cache
def _by_id(modules: tuple[str, ...]) -> dict[str, Rule]:
    return {r.id: r for r in _rules(modules)}

"""Which oasdiff checks each apidiff rule covers, as glob patterns over oasdiff's rule ids.

oasdiff names one check per location (``request-body-max-decreased``,
``request-property-max-decreased``, ``request-parameter-max-decreased`` …) where apidiff has one
rule judged by direction (``maximum-decreased``), so patterns keep the table short. The rules'
own ``equivalents`` hold the ids named at the declaration; this table adds the rest.
``scripts/gen_oasdiff_mapping.py`` expands both into ``docs/oasdiff-mapping.md``.
"""

from __future__ import annotations

_BOUNDS = {  # apidiff bound keyword -> oasdiff stems
    "maximum": ("max", "exclusive-max"), "minimum": ("min", "exclusive-min"),
    "max-length": ("max-length",), "min-length": ("min-length",),
    "max-items": ("max-items",), "min-items": ("min-items",),
    "max-contains": ("max-contains",), "min-contains": ("min-contains",),
}


# (stem, event) pairs oasdiff has no check for: a bound it only checks when changed, not set/unset
_ABSENT = {("max-items", "set"), ("max-items", "unset"), ("min-length", "set"), ("min-length", "unset"),
           ("max-contains", "set"), ("max-contains", "unset"), ("min-contains", "set"), ("min-contains", "unset"),
           ("max", "unset"), ("exclusive-max", "unset"), ("min", "unset"), ("exclusive-min", "unset")}


def _bound_patterns() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for keyword, stems in _BOUNDS.items():
        upper = keyword.startswith("max")
        tighter, looser = ("decreased", "increased") if upper else ("increased", "decreased")
        for event, suffix in ((tighter, tighter), (looser, looser), ("added", "set"), ("removed", "unset")):
            patterns = tuple(f"*-{s}-{suffix}" for s in stems if (s, suffix) not in _ABSENT)
            if patterns:
                out[f"{keyword}-{event}"] = patterns
    return out


EXTRA: dict[str, tuple[str, ...]] = {
    **_bound_patterns(),
    "type-changed": ("*-type-changed", "*-type-generalized", "*-type-specialized", "*-list-of-types-narrowed",
                     "*-list-of-types-widened"),
    "became-nullable": ("*-became-nullable",),
    "became-non-nullable": ("*-became-not-nullable",),
    "schema-enum-value-removed": ("*-enum-value-removed",),
    "schema-enum-value-added": ("*-enum-value-added",),
    "became-enum": ("*-became-enum",),
    "const-changed": ("*-const-changed",),
    "property-became-required": ("*-property-became-required*",),
    "property-added-required": ("new-required-request-header-property",),
    "property-no-longer-write-only": ("*-property-became-not-write-only",),
    "property-no-longer-read-only": ("*-property-became-not-read-only",),
    "schema-added": ("request-body-media-type-schema-added",),
    "schema-removed": ("response-body-media-type-schema-removed",),
    "media-type-removed": ("response-media-type-name-generalized", "*-media-type-removed"),
    "branch-added": ("*-wrapped-in-one-of",),
    "operation-removed-without-deprecation": ("webhook-removed",),
    "operation-removed-before-sunset": ("webhook-removed",),
    "parameter-added-required": ("new-required-request-default-parameter-to-existing-path",
                                 "new-required-request-parameter"),
    "pattern-changed": ("*-pattern-added", "*-pattern-changed"),
}

# oasdiff checks that apidiff reports another way than as a rule, with the reason.
NOT_RULES: dict[str, str] = {
    "api-deprecated-sunset-parse": "a load warning: the `x-sunset` is not a date (file:line)",
    "api-path-sunset-parse": "a load warning: the `x-sunset` is not a date (file:line)",
    "request-parameter-sunset-parse": "a load warning: the `x-sunset` is not a date (file:line)",
    "request-property-deprecated-sunset-invalid": "a load warning: the `x-sunset` is not a date (file:line)",
    "response-property-deprecated-sunset-invalid": "a load warning: the `x-sunset` is not a date (file:line)",
    "api-invalid-stability-level": "a load warning: unknown `x-stability-level` (file:line); treated as stable",
}

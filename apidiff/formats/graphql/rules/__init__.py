"""GraphQL's rules: one module per family, each rule one declaration (see :mod:`apidiff.core.rule`)."""

from apidiff.formats.graphql.rules import (  # noqa: F401  (importing a family registers its rules)
    directives,
    enums,
    federation,
    fields,
    inputs,
    schema,
    types,
    unions,
)

"""Thrift's rules: one module per family, each rule one declaration (see :mod:`apidiff.core.rule`)."""

from apidiff.formats.thrift.rules import (  # noqa: F401  (importing a family registers its rules)
    files,
    services,
    types,
)

"""apidiff: what a schema change breaks, for whom, and how to roll it out.

>>> from apidiff import compare
>>> report = compare("type Query { a: String b: Int }", "type Query { a: String }")
>>> report.breaking
True
>>> [c.id for c in report.changes]
['field-removed-without-deprecation']
"""

from apidiff._version import __version__
from apidiff.api import compare, load, load_config
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.config import Config
from apidiff.core.direction import Direction
from apidiff.core.errors import (
    ApidiffError,
    ApidiffWarning,
    ConfigError,
    FormatNotDetected,
    GitError,
    LimitExceeded,
    LoadError,
    ParseError,
    RefError,
    SourceError,
    UsageError,
)
from apidiff.core.git import GitPath
from apidiff.core.location import Location
from apidiff.core.model import Api
from apidiff.core.result import Report, SourceInfo
from apidiff.usage import load_usage

__all__ = [
    "Api",
    "ApidiffError",
    "ApidiffWarning",
    "Change",
    "Config",
    "ConfigError",
    "Direction",
    "FormatNotDetected",
    "GitError",
    "GitPath",
    "LimitExceeded",
    "LoadError",
    "Location",
    "Mode",
    "ParseError",
    "RefError",
    "Report",
    "Severity",
    "SourceError",
    "SourceInfo",
    "UsageError",
    "__version__",
    "compare",
    "load",
    "load_config",
    "load_usage",
]

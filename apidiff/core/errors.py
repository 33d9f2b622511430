"""Errors apidiff raises on bad input.

Everything apidiff raises because of the *input* derives from :class:`ApidiffError`;
anything else escaping :func:`apidiff.load` or :func:`apidiff.compare` is a bug::

    ApidiffError                 base; str() is one line: ``file:line:col: message``
    ├── SourceError              cannot read the input: missing file, too large, outside the root
    ├── LoadError                read, but not understood
    │   ├── FormatNotDetected    neither GraphQL nor OpenAPI
    │   ├── ParseError           SDL / YAML / JSON syntax, or a conflicting definition
    │   ├── RefError             unresolvable or forbidden ``$ref``
    │   └── LimitExceeded        size, depth, alias or node-count limits
    ├── ConfigError              bad configuration value
    ├── UsageError               a usage file (operations, traffic) that cannot be read as one
    └── GitError (SourceError)   a git revision or path that cannot be read
    ApidiffWarning(UserWarning)  recoverable problem; the document is still diffed

Only the CLI maps errors to exit codes (2).
"""

from __future__ import annotations


class ApidiffError(Exception):
    """Base of every error caused by apidiff's input. ``str()`` is a single line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = [_printable(str(p)) for p in (self.file, self.line, self.column) if p is not None]
        text = " ".join(self.message.split())  # always one line
        return f"{':'.join(where)}: {text}" if where else text


def _printable(text: str) -> str:
    """A file name on one line: characters that are not printable (line breaks, controls) escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class SourceError(ApidiffError):
    """The input cannot be read (missing, unreadable, too large, outside the allowed folder)."""


class LoadError(ApidiffError):
    """The input was read but is not a schema apidiff understands."""


class FormatNotDetected(LoadError):
    """The content is neither GraphQL SDL, introspection JSON nor OpenAPI."""


class ParseError(LoadError):
    """A syntax error, or a definition whose meaning is ambiguous (conflicting duplicates)."""


class RefError(LoadError):
    """A ``$ref`` that cannot be resolved or is not allowed."""


class LimitExceeded(LoadError):
    """A safety limit (size, depth, aliases, nodes) was exceeded."""


class ConfigError(ApidiffError):
    """A configuration value is unknown or malformed."""


class UsageError(ApidiffError):
    """A ``--usage`` file (GraphQL operations, HAR, access log) is not what it should be."""


class GitError(SourceError):
    """A ``REF:path`` source names an unknown revision, a path not in it, or no repository."""


class ApidiffWarning(UserWarning):
    """A recoverable problem in a document: it is still loaded and diffed."""

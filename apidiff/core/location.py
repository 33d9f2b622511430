"""Where an element is written: file, line, column and a JSON pointer or GraphQL coordinate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source document.

    ``line`` and ``column`` are 1-based; ``line == 0`` means "not known yet": loaders that parse
    without positions (JSON) give a ``pointer`` and the line is found afterwards, only for the
    elements that end up in a report.
    """

    file: str
    line: int = 0
    column: int = 0
    pointer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line or None, "column": self.column or None,
                "pointer": self.pointer}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(file=data["file"], line=data.get("line") or 0, column=data.get("column") or 0,
                   pointer=data.get("pointer"))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


def escape_pointer_token(token: str) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")

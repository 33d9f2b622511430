"""Bytes in: files, folders and text, with size limits. Loaders never touch the filesystem."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Protocol

from apidiff.core.errors import SourceError

MAX_FILE_BYTES = 100 * 1024 * 1024  # one document; GitHub's dereferenced REST description is ~60 MB



@dataclass(frozen=True, slots=True)
class Text:
    """A document's text and the name it is reported under."""

    name: str
    text: str


def read_text(path: Path, *, display: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Text:
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", file=name)
        data = path.read_bytes()
    except SourceError:
        raise
    except FileNotFoundError:
        raise SourceError("no such file or folder", file=name) from None
    except IsADirectoryError:
        raise SourceError("is a folder, expected a file", file=name) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", file=name) from None
    return Text(name, decode(data, name))


def decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", file=name, line=line,
                          column=column) from None


def folder_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` with one of ``suffixes``, in a stable order; no symlinks out."""
    root = folder.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            if filename.endswith(suffixes):
                path = Path(dirpath, filename)
                if not path.resolve().is_relative_to(root):
                    raise SourceError("links outside the schema folder", file=str(path))
                found.append(path)
    return found


class Files(Protocol):
    """Where a document and the files it refers to are read from: the working tree, or a git revision.

    Paths are absolute and normalized (:meth:`normalize`); the loaders never touch the filesystem
    themselves, so a ``$ref`` jail and the size limits hold for every kind of source."""

    def normalize(self, path: PurePath) -> PurePath:
        """The canonical absolute form of ``path`` (symlinks and ``..`` resolved)."""
        ...

    def read(self, path: PurePath, display: str | None = None) -> Text:
        """The text of a file, named ``display`` (default: :meth:`display`) in messages."""
        ...

    def display(self, path: PurePath) -> str:
        """How a file is named in reports."""
        ...


class LocalFiles:
    """The working tree."""

    def normalize(self, path: PurePath) -> PurePath:
        try:
            return Path(path).resolve()
        except (OSError, ValueError) as exc:  # a NUL byte, a name too long, a loop of links
            raise SourceError(f"not a usable path: {getattr(exc, 'strerror', None) or exc}", file=str(path)) from None

    def read(self, path: PurePath, display: str | None = None) -> Text:
        return read_text(Path(path), display=display or self.display(path))

    def display(self, path: PurePath) -> str:
        """A path as users see it: relative to the working directory when below it."""
        try:
            return str(Path(path).relative_to(Path.cwd()))
        except ValueError:
            return str(path)


LOCAL = LocalFiles()


def looks_like_path(text: str) -> bool:
    """A short one-line string without schema punctuation is meant as a path."""
    return "\n" not in text and len(text) < 4096 and not any(c in text for c in "{}")

"""Schemas read from a git revision: ``git:REF:path``, ``REF:path`` and the index (``git::path``).

The document and every file it refers to (``$ref`` targets, the ``.graphql`` files of a folder)
are read from the same revision with ``git ls-tree`` / ``git ls-files`` and ``git cat-file``; the
working tree is never touched. Paths follow git's own rule: ``REF:path`` is relative to the
repository's top folder, ``REF:./path`` to the working directory. Files are named
``REF:path`` (repository-relative) in reports.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath

from apidiff.core.errors import GitError, SourceError
from apidiff.core.sources import MAX_FILE_BYTES, Text, decode

INDEX = ""  # the revision name of the staging area (``:path`` in git)
TIMEOUT = 60
_DRIVE = re.compile(r"^[A-Za-z]$")


@dataclass(frozen=True, slots=True)
class GitPath:
    """``path`` (relative to the repository's top folder) at ``rev`` ("" for the index)."""

    rev: str
    path: str
    cwd: str | None = None  # where git is run (default: the working directory)

    def __str__(self) -> str:
        """``REF:path``; a staged file is named by its path, where editors and CI find it."""
        return f"{self.rev}:{self.path}" if self.rev != INDEX else self.path


def parse(text: str, *, explicit_only: bool = False) -> GitPath | None:
    """``git:REF:path`` → GitPath; ``REF:path`` too unless ``explicit_only`` (the caller checks
    that no such file exists first); anything else → None."""
    if text.startswith("git:"):
        rev, sep, path = text[4:].partition(":")
        if not sep or not path:
            raise GitError("expected git:REF:path (for example git:origin/main:api/openapi.yaml)", file=text)
        return GitPath(rev, path)
    if explicit_only or "\n" in text:
        return None
    rev, sep, path = text.partition(":")
    if not sep or not path or _DRIVE.match(rev) or "://" in text or rev.startswith(("http", "file")):
        return None
    return GitPath(rev, path)


def _git(args: list[str], cwd: str | None, *, what: str, input: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, timeout=TIMEOUT,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    except FileNotFoundError:
        raise GitError("git is not installed (needed to read a revision)", file=what) from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git took more than {TIMEOUT} s", file=what) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = next((m for m in message if m.startswith("fatal:")), message[0] if message else "git failed")
        raise GitError(first.removeprefix("fatal: "), file=what)
    return done.stdout


class GitFiles:
    """The files of one revision (or of the index) of one repository, read-only."""

    def __init__(self, rev: str, *, cwd: str | None = None, display: str | None = None) -> None:
        what = display or f"{rev}:"
        top = _git(["rev-parse", "--show-toplevel"], cwd, what=what).decode().strip()
        if not top:
            raise GitError("not inside a git working tree", file=what)
        self.top = Path(top)
        self.cwd = cwd
        self.rev = rev
        if rev == INDEX:
            self.commit = INDEX
        else:
            try:
                out = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd,
                           what=what)
            except GitError:
                out = b""
            self.commit = out.decode().strip()
            if not self.commit:
                raise GitError(f"unknown revision {rev!r} in the git repository at {top}", file=what)

    # paths are PurePosixPath("/" + repository-relative path): absolute, so that ``..`` can be
    # checked against the root folder exactly as for files on disk
    def normalize(self, path: PurePath) -> PurePath:
        return PurePosixPath(posixpath.normpath("/" + PurePosixPath(path).as_posix().lstrip("/")))

    def display(self, path: PurePath) -> str:
        rel = str(path).lstrip("/")
        return f"{self.rev}:{rel}" if self.rev != INDEX else rel

    def path_of(self, spec: GitPath) -> PurePosixPath:
        """The repository path a ``REF:path`` names (``./`` and ``../`` relative to the working directory)."""
        path = spec.path
        if path.startswith(("./", "../")) or path in (".", ".."):
            here = Path(self.cwd or os.getcwd()).resolve()
            try:
                prefix = here.relative_to(self.top.resolve()).as_posix()
            except ValueError:
                prefix = ""
            path = posixpath.join(prefix, path)
        return PurePosixPath(self.normalize(PurePosixPath(path)))

    def _entries(self, path: PurePath, *, recursive: bool) -> list[tuple[str, str, str, str]]:
        """(mode, type, object id, repository path) of ``path`` itself, or of everything below it."""
        rel = str(path).strip("/")
        if self.commit == INDEX:
            spec = f"{rel}/" if recursive and rel else rel or "."
            raw = _git(["ls-files", "--stage", "-z", "--full-name", "--", spec], str(self.top),
                       what=self.display(path))
            out = []
            for item in raw.split(b"\0"):
                if item:
                    meta, _, name = item.decode("utf-8", "surrogateescape").partition("\t")
                    mode, oid, _stage = meta.split()
                    out.append((mode, "blob", oid, name))
            if not recursive and not any(n == rel for *_, n in out):
                # a folder in the index: its files start with rel/
                folder = [e for e in out if e[3].startswith(rel + "/")]
                return [("040000", "tree", "", rel)] if folder else []
            return out
        args = ["ls-tree", "-z", "--full-tree"] + (["-r"] if recursive else []) + [self.commit, "--", rel or "."]
        if recursive and rel:
            args[-1] = f"{rel}/"
        raw = _git(args, str(self.top), what=self.display(path))
        out = []
        for item in raw.split(b"\0"):
            if item:
                meta, _, name = item.decode("utf-8", "surrogateescape").partition("\t")
                mode, kind, oid = meta.split()
                out.append((mode, kind, oid, name))
        return out

    def kind(self, path: PurePath) -> str | None:
        """``file``, ``folder`` or None (not in the revision)."""
        rel = str(path).strip("/")
        if not rel:
            return "folder"
        found = [e for e in self._entries(path, recursive=False) if e[3] == rel]
        if not found:
            return None
        mode, kind = found[0][0], found[0][1]
        if mode == "120000":
            raise GitError("is a symbolic link; name the file it points to", file=self.display(path))
        return "folder" if kind == "tree" else "file" if kind == "blob" else None

    def read(self, path: PurePath, display: str | None = None) -> Text:
        name = display or self.display(path)
        rel = str(path).strip("/")
        found = [e for e in self._entries(path, recursive=False) if e[3] == rel]
        if not found:
            raise SourceError(f"not in {'the index' if self.commit == INDEX else 'revision ' + self.rev}", file=name)
        mode, kind, oid, _ = found[0]
        if kind != "blob":
            raise SourceError("is a folder, expected a file", file=name)
        if mode == "120000":
            raise SourceError("is a symbolic link; name the file it points to", file=name)
        return self._blobs([(oid, name)])[0]

    def folder_files(self, folder: PurePath, suffixes: tuple[str, ...]) -> list[PurePosixPath]:
        """The files with one of ``suffixes`` below ``folder``, sorted; hidden folders skipped."""
        rel = str(folder).strip("/")
        out = []
        for mode, kind, _oid, name in self._entries(folder, recursive=True):
            inner = name[len(rel) + 1:] if rel else name
            if kind != "blob" or not name.endswith(suffixes) or any(p.startswith(".") for p in inner.split("/")[:-1]):
                continue
            if mode == "120000":
                raise SourceError("is a symbolic link; name the file it points to", file=f"{self.rev}:{name}")
            out.append(PurePosixPath("/" + name))
        return sorted(out)

    def read_many(self, paths: list[PurePosixPath]) -> list[Text]:
        """Several files with one ``git cat-file`` (a folder of SDL files)."""
        items = []
        for path in paths:
            rel = str(path).strip("/")
            found = [e for e in self._entries(path, recursive=False) if e[3] == rel] if self.commit == INDEX else None
            oid = found[0][2] if found else f"{self.commit}:{rel}"
            items.append((oid, self.display(path)))
        return self._blobs(items)

    def _blobs(self, items: list[tuple[str, str]]) -> list[Text]:
        sizes = _git(["cat-file", "--batch-check"], str(self.top), what=items[0][1] if items else "git",
                     input="".join(f"{oid}\n" for oid, _ in items).encode())
        for (_oid, name), line in zip(items, sizes.decode().splitlines(), strict=True):
            parts = line.split()
            if parts[-1] == "missing" or len(parts) != 3:
                raise SourceError("cannot be read from the revision", file=name)
            size = int(parts[2])
            if size > MAX_FILE_BYTES:
                raise SourceError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit", file=name)
        data = _git(["cat-file", "--batch"], str(self.top), what=items[0][1] if items else "git",
                    input="".join(f"{oid}\n" for oid, _ in items).encode())
        out = []
        at = 0
        for _oid, name in items:
            end = data.index(b"\n", at)
            size = int(data[at:end].split()[2])
            out.append(Text(name, decode(data[end + 1:end + 1 + size], name)))
            at = end + 1 + size + 1
        return out


def open_revision(spec: GitPath) -> tuple[GitFiles, PurePosixPath]:
    """The files of the revision ``spec`` names and the repository path of its document or folder."""
    files = GitFiles(spec.rev, cwd=spec.cwd, display=str(spec))
    return files, files.path_of(spec)


def repository_path(path: str | Path, *, cwd: str | None = None) -> str:
    """The repository-relative path of a working-tree path (for ``--base REF PATH``)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, what=str(path)).decode().strip()).resolve()
    full = (Path(cwd or os.getcwd()) / path).resolve()
    try:
        return full.relative_to(top).as_posix()
    except ValueError:
        raise GitError(f"is outside the git repository at {top}", file=str(path)) from None

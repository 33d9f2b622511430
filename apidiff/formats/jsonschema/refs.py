"""``$ref`` resolution for documents spread over many files, safe for untrusted input.

- Local pointers (``#/components/schemas/Pet``) and relative files (``./schemas/pet.yaml#/Pet``),
  including refs inside referenced files, resolved against the file they are written in.
- Files outside the root document's folder tree are refused, and so are network refs unless
  the caller allows them; chains of refs that point at refs are followed up to a limit, so
  a cycle of pure refs is an error rather than a hang. Each file is read and parsed once.
- Circular *schemas* (a schema whose property refers back to it) are legal: the resolver only
  hands out targets; the normalizer keeps named schemas by reference, so recursion terminates.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

from apidiff.core.errors import RefError, SourceError
from apidiff.core.location import Location, escape_pointer_token
from apidiff.core.sources import LOCAL, Files, Text

MAX_CHAIN = 64
MAX_REMOTE_BYTES = 20 * 1024 * 1024

Parse = Callable[[Text], Any]


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: object) -> str:
    parts = [t if type(t) is str else str(t) for t in tokens]
    raw = "".join(parts)
    if "~" not in raw and "/" not in raw:  # the common case, once per schema node: nothing to escape
        return f"{pointer}/{'/'.join(parts)}" if parts else pointer
    return pointer + "".join("/" + escape_pointer_token(t) for t in parts)


class Resolver:
    """Reads, parses and caches the documents of one API description and resolves refs in them."""

    def __init__(self, root: Text, parse: Parse, *, root_path: PurePath | None, allow_remote: bool = False,
                 files: Files = LOCAL) -> None:
        self.parse = parse
        self.allow_remote = allow_remote
        self.files = files
        self.root_name = root.name
        root_path = files.normalize(root_path) if root_path is not None else None
        self.root_dir = root_path.parent if root_path is not None else None
        self.docs: dict[str, Any] = {root.name: parse(root)}
        self.texts: dict[str, str] = {root.name: root.text}
        self._paths: dict[str, PurePath | None] = {root.name: root_path}
        self._by_path: dict[PurePath, str] = {}
        self._found: dict[tuple[str, str], tuple[Any, str, str]] = {}  # (ref, base) -> lookup's answer
        if root_path is not None:
            self._by_path[root_path] = root.name

    @property
    def root(self) -> Any:
        return self.docs[self.root_name]

    # -- files ----------------------------------------------------------------------------------
    def _document(self, target: str, base: str, at: Location) -> str:
        """The name of the document ``target`` (a URL or relative path) seen from ``base``."""
        scheme = urlsplit(target).scheme.lower()
        if scheme in ("http", "https"):
            return self._remote(target, at)
        if scheme and len(scheme) > 1:  # file:, ftp:, …; a one-letter scheme is a Windows drive
            raise RefError(f"$ref {target!r}: only relative file refs are allowed", file=at.file, line=at.line or None)
        base_path = self._paths.get(base)
        if base_path is None:
            if base.startswith(("http://", "https://")):
                return self._remote(posixpath.join(posixpath.dirname(base), target), at)
            raise RefError(f"$ref {target!r}: a document given as text cannot refer to files",
                           file=at.file, line=at.line or None)
        try:
            path = self.files.normalize(base_path.parent / unquote(target))
        except SourceError as exc:
            raise RefError(f"$ref {target!r}: {exc.message}", file=at.file, line=at.line or None) from None
        assert self.root_dir is not None
        if not path.is_relative_to(self.root_dir):
            raise RefError(f"$ref {target!r} points outside the root document's folder ({self.root_dir})",
                           file=at.file, line=at.line or None)
        name = self._by_path.get(path)
        if name is None:
            try:
                text = self.files.read(path)
            except SourceError as exc:
                raise RefError(f"$ref {target!r}: {exc.message}", file=at.file, line=at.line or None) from None
            name = text.name
            self.docs[name] = self.parse(text)
            self.texts[name] = text.text
            self._paths[name] = path
            self._by_path[path] = name
        return name

    def _remote(self, url: str, at: Location) -> str:
        if not self.allow_remote:
            raise RefError(f"$ref {url!r} needs the network; pass --allow-remote-refs to allow it",
                           file=at.file, line=at.line or None)
        if url in self.docs:
            return url
        import urllib.request

        try:
            with urllib.request.urlopen(url, timeout=15) as response:
                data = response.read(MAX_REMOTE_BYTES + 1)
        except OSError as exc:
            raise RefError(f"$ref {url!r}: cannot fetch: {exc}", file=at.file, line=at.line or None) from None
        if len(data) > MAX_REMOTE_BYTES:
            raise RefError(f"$ref {url!r}: larger than {MAX_REMOTE_BYTES:,} bytes", file=at.file, line=at.line or None)
        from apidiff.core.sources import decode

        text = Text(url, decode(data, url))
        self.docs[url] = self.parse(text)
        self.texts[url] = text.text
        self._paths[url] = None
        return url

    # -- pointers -------------------------------------------------------------------------------
    def lookup(self, ref: str, base: str, at: Location) -> tuple[Any, str, str]:
        """Resolve ``ref`` written in document ``base``; follow refs to refs. Returns (value, doc, pointer)."""
        found = self._found.get((ref, base))  # a spec refers to its shared schemas thousands of times
        if found is None:
            found = self._found[(ref, base)] = self._lookup(ref, base, at)
        return found

    def _lookup(self, ref: str, base: str, at: Location) -> tuple[Any, str, str]:
        seen: list[tuple[str, str]] = []
        while True:
            target, fragment = urldefrag(ref)
            doc = self._document(target, base, at) if target else base
            pointer = unquote(fragment)
            if pointer and not pointer.startswith("/"):
                raise RefError(f"$ref {ref!r}: only JSON-pointer fragments are supported", file=at.file,
                               line=at.line or None)
            value = self._walk(self.docs[doc], pointer, ref, at)
            if (doc, pointer) in seen:
                raise RefError(f"$ref {ref!r} is part of a cycle of refs that never reaches a value",
                               file=at.file, line=at.line or None)
            seen.append((doc, pointer))
            if isinstance(value, dict) and isinstance(value.get("$ref"), str) and len(seen) <= MAX_CHAIN:
                ref, base = value["$ref"], doc
                continue
            if len(seen) > MAX_CHAIN:
                raise RefError(f"$ref {ref!r}: more than {MAX_CHAIN} refs in a chain", file=at.file,
                               line=at.line or None)
            return value, doc, pointer

    @staticmethod
    def _walk(value: Any, pointer: str, ref: str, at: Location) -> Any:
        if not pointer:
            return value
        for token in pointer[1:].split("/"):
            key = unescape(token)
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                raise RefError(f"$ref {ref!r} cannot be resolved: no {key!r} in the document",
                               file=at.file, line=at.line or None)
        return value


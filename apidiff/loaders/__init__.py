"""Documents → the type graph. Loaders know nothing of diffing."""

from __future__ import annotations

from pathlib import Path, PurePath

from apidiff.errors import FormatNotDetected, GitError, SourceError
from apidiff.git import GitPath
from apidiff.git import parse as parse_git
from apidiff.loaders.detect import detect
from apidiff.model.graph import Api
from apidiff.sources import GRAPHQL_SUFFIXES, LOCAL, Files, Text, folder_files, looks_like_path, read_text

__all__ = ["load"]

SourceLike = str | Path | GitPath | Api


def load(source: SourceLike, *, format: str | None = None, allow_remote_refs: bool = False,
         sunset_extension: str = "x-sunset") -> Api:
    """Load a schema from a path (file or folder), from its text, or pass a loaded :class:`Api` through.

    ``git:REF:path`` (and ``REF:path`` when no such file exists) reads the document, and the
    files it refers to, from a git revision (:mod:`apidiff.git`). ``format`` forces ``"graphql"``,
    ``"introspection"`` or ``"openapi"``; by default the format is detected from the content.
    ``$ref`` to the network is refused unless ``allow_remote_refs``; file refs must stay inside
    the root document's folder.
    ``sunset_extension`` names the OpenAPI extension that holds sunset dates.
    """
    if isinstance(source, Api):
        return source
    options = (format, allow_remote_refs, sunset_extension)
    if isinstance(source, GitPath) or source_is_git(source):
        spec = source if isinstance(source, GitPath) else parse_git(str(source))
        assert spec is not None
        return _load_git(spec, *options)
    if isinstance(source, Path) or looks_like_path(source):
        path = Path(source)
        try:
            kind = "folder" if path.is_dir() else "file" if path.exists() else None
        except OSError as exc:  # a name too long, or not valid on this system
            if isinstance(source, str) and _looks_like_schema_text(source):
                return _load_texts([Text("<text>", source)], "<text>", format, None, allow_remote_refs,
                                   sunset_extension)
            raise SourceError(f"cannot be read as a file: {exc.strerror or exc}", file=str(path)) from None
        if kind == "folder":
            files = folder_files(path, GRAPHQL_SUFFIXES)
            if not files:
                raise SourceError("folder holds no .graphql, .graphqls or .gql file", file=str(path))
            return _load_texts([read_text(f) for f in files], str(path), format, path, allow_remote_refs,
                               sunset_extension)
        if kind is None:
            spec = parse_git(source) if isinstance(source, str) else None
            if spec is not None:
                try:
                    return _load_git(spec, *options)
                except GitError as exc:
                    raise SourceError(f"no such file or folder; as REF:path: {exc.message}", file=str(source)) from None
            if isinstance(source, Path) or ("\n" not in source and not _looks_like_schema_text(source)):
                raise SourceError("no such file or folder", file=str(path))
        else:
            return _load_texts([read_text(path)], str(path), format, path, allow_remote_refs, sunset_extension)
    return _load_texts([Text("<text>", str(source))], "<text>", format, None, allow_remote_refs, sunset_extension)


def source_is_git(source: object) -> bool:
    """Whether a source names a git revision explicitly (``git:REF:path``)."""
    return isinstance(source, GitPath) or (isinstance(source, str) and source.startswith("git:")
                                           and looks_like_path(source))


def _load_git(spec: GitPath, format: str | None, allow_remote: bool, sunset_extension: str) -> Api:
    from apidiff.git import open_revision

    files, path = open_revision(spec)
    kind = files.kind(path)
    name = str(spec)
    if kind is None:
        where = "the index" if spec.rev == "" else f"revision {spec.rev}"
        raise GitError(f"{str(path).lstrip('/') or '.'} is not in {where}", file=name)
    if kind == "folder":
        found = files.folder_files(path, GRAPHQL_SUFFIXES)
        if not found:
            raise SourceError("folder holds no .graphql, .graphqls or .gql file", file=name)
        return _load_texts(files.read_many(found), name, format, None, allow_remote, sunset_extension)
    return _load_texts([files.read(path, display=name)], name, format, path, allow_remote, sunset_extension,
                       files)


def _looks_like_schema_text(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0] in {"type", "schema", "interface", "union", "enum", "input", "scalar",
                                        "directive", "extend", '"""', "openapi:", "swagger:", "---"}


def _load_openapi(text: Text, source: str, path: PurePath | None, allow_remote: bool, sunset_extension: str,
                  files: Files) -> Api:
    from apidiff.loaders._yaml import parse_document
    from apidiff.loaders.openapi import load_openapi
    from apidiff.loaders.refs import Resolver

    resolver = Resolver(text, lambda t: parse_document(t.text, t.name), root_path=path, allow_remote=allow_remote,
                        files=files)
    return load_openapi(resolver, source, sunset_extension)


def _load_texts(texts: list[Text], source: str, format: str | None, path: PurePath | None = None,
                allow_remote: bool = False, sunset_extension: str = "x-sunset", files: Files = LOCAL) -> Api:
    from apidiff.loaders import graphql

    kinds = {format or detect(t.text) for t in texts}
    if len(texts) > 1 or kinds == {"graphql"}:
        if kinds != {"graphql"}:
            raise FormatNotDetected("a folder must hold GraphQL SDL files only", file=source)
        return graphql.load_sdl(texts, source)
    kind = kinds.pop()
    if kind == "introspection":
        return graphql.load_introspection(texts[0], source)
    if kind == "openapi":
        return _load_openapi(texts[0], source, path, allow_remote, sunset_extension, files)
    raise FormatNotDetected(f"unknown format {kind!r}", file=texts[0].name)

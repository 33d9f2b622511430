"""``.proto`` sources to a ``FileDescriptorSet``, with a real compiler: ``grpcio-tools``' bundled protoc.

No hand-written parser: protoc resolves imports, names, options and editions' features, and its source
info gives every element's line and column. The well-known types (``google/protobuf/*.proto``) come with
grpcio-tools. protoc runs in a child process (it reports to file descriptor 2, which only a child's can
be read), with a time limit.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from google.protobuf import descriptor_pb2

from apidiff.core.errors import LimitExceeded, LoadError, ParseError, SourceError

__all__ = ["compile_sources", "outside", "well_known_root"]

TIMEOUT_S = 300
# protoc: "a/b.proto:12:5: Expected ";"." or "a/b.proto: File not found." or "a.proto:3:1: Import ..."
_ERROR = re.compile(r"^(?P<file>[^:\n]+?):(?:(?P<line>\d+):(?P<column>\d+):)?\s*(?P<message>.+)$")


def well_known_root() -> Path:
    """The include folder holding ``google/protobuf/*.proto`` (grpcio-tools ships them)."""
    try:
        import grpc_tools  # type: ignore[import-untyped]
    except ImportError:
        raise LoadError("reading .proto files needs grpcio-tools: pip install 'apidiff[protobuf]'") from None
    return Path(grpc_tools.__file__).parent / "_proto"


def compile_sources(roots: Sequence[Path], files: Sequence[str], *, display: dict[str, str] | None = None) -> bytes:
    """The serialized ``FileDescriptorSet`` of ``files`` (paths relative to one of ``roots``) and their imports,
    with source info. A compile error is a :class:`ParseError` naming the file (shown as ``display[file]``
    when given), line and column."""
    if not files:
        raise SourceError("no .proto file to compile", file=str(roots[0]) if roots else None)
    include = [*roots, well_known_root()]
    with tempfile.TemporaryDirectory(prefix="apidiff-protoc-") as scratch:
        out = Path(scratch) / "image.binpb"
        argv = [sys.executable, "-m", "grpc_tools.protoc", *(f"-I{root}" for root in include),
                "--include_imports", "--include_source_info", f"--descriptor_set_out={out}", *files]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
                                  env={**os.environ, "PYTHONWARNINGS": "ignore"})
        except subprocess.TimeoutExpired:
            raise LimitExceeded(f"protoc did not finish in {TIMEOUT_S} s", file=files[0]) from None
        if done.returncode != 0 or not out.exists():
            stderr = done.stderr or done.stdout
            _check_links(roots, [m["file"] for m in map(_ERROR.match, stderr.splitlines()) if m is not None],
                         display or {})
            raise _error(stderr, files[0], display or {})
        image = out.read_bytes()
        try:
            names = [f.name for f in descriptor_pb2.FileDescriptorSet.FromString(image).file]
        except Exception:  # what protoc wrote is checked again, with a located error, when read
            names = []
        _check_links(roots, names, display or {})
        return image


def _check_links(roots: Sequence[Path], names: Sequence[str], display: dict[str, str]) -> None:
    """A :class:`SourceError` when a file protoc read (an import) is a link out of the root it was found in, as
    protoc looks (the first root that has it): a folder's links cannot make apidiff read, or show, other files.
    ``names`` are protoc's: virtual (relative to a root) or, in its messages, the path on disk under a root."""
    absolute = [Path(os.path.abspath(root)) for root in roots]
    resolved = [root.resolve() for root in roots]
    for name in dict.fromkeys(names):
        virtual = name
        for root in absolute:
            if Path(name).is_absolute() and Path(name).is_relative_to(root):
                virtual = Path(name).relative_to(root).as_posix()
                break
        if not virtual or outside(virtual):
            continue
        for root, real in zip(absolute, resolved, strict=True):
            candidate = root / virtual
            if candidate.exists():
                if not candidate.resolve().is_relative_to(real):
                    raise SourceError("links outside the schema folder", file=display.get(virtual, str(candidate)))
                break


_IMPORT = re.compile(r'^Import "(?P<name>[^"]*)" was not found or had errors$')


def _error(stderr: str, first: str, display: dict[str, str]) -> ParseError:
    """protoc's first located complaint as one error (its later lines are consequences)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not line.startswith("Warning")]
    best: re.Match[str] | None = None
    for line in lines:
        m = _ERROR.match(line)
        if m is not None and (best is None or (m["line"] and not best["line"])):
            best = m
            if m["line"]:
                break
    if best is None:
        return ParseError(lines[0] if lines else "protoc failed without a message", file=display.get(first, first))
    name = display.get(best["file"], best["file"])
    message = best["message"].rstrip(".")
    imported = _IMPORT.match(message)
    if imported is not None:
        message = _import_problem(imported["name"], lines) or message
    return ParseError(message, file=name, line=int(best["line"]) if best["line"] else None,
                      column=int(best["column"]) if best["column"] else None)


def _import_problem(target: str, lines: Sequence[str]) -> str | None:
    """Why protoc could not import ``target``, in words: outside the schema's folder, not a valid path, or not
    there; None when the imported file was found and had errors of its own (reported on their own line)."""
    if outside(target):
        return (f'import "{target}" is outside the schema\'s folder: imports are relative to the module root, '
                'absolute and ".." paths are not followed')
    if f"{target}: File not found." in lines:
        return f'import "{target}" not found: no such file under the module root (imports are relative to it)'
    if any(line.startswith(f"{target}: ") and "not allowed in the virtual path" in line for line in lines):
        return f'import "{target}" is not a valid import path (no backslashes, "//", "." or ".." in it)'
    return None


def outside(name: str) -> bool:
    """Whether an import path leaves its root: absolute (``/x``, ``C:\\x``, ``\\\\host``) or with a ``..`` part."""
    parts = re.split(r"[/\\]", name)
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts

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

from apidiff.core.errors import LimitExceeded, LoadError, ParseError, SourceError

__all__ = ["compile_sources", "well_known_root"]

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
            raise _error(done.stderr or done.stdout, files[0], display or {})
        return out.read_bytes()


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
    return ParseError(message, file=name, line=int(best["line"]) if best["line"] else None,
                      column=int(best["column"]) if best["column"] else None)

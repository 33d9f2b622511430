"""Thrift: ``.thrift`` IDL files (a file with the files it includes, or a folder of them), parsed by thriftpy2,
compared by field id, each change judged on two surfaces: ``wire`` (the binary and compact protocols) and
``source`` (generated code).

Reading ``.thrift`` files needs thriftpy2 (``pip install 'apidiff[thrift]'``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any, cast

from apidiff.core.errors import LoadError
from apidiff.core.format import Certainty, Detected, Format, LoadOptions
from apidiff.core.model import Api
from apidiff.core.pair import Pair
from apidiff.core.sources import LOCAL, Files, Text

__all__ = ["FORMAT", "Thrift"]

SUFFIX = ".thrift"
_COMMENTS = re.compile(r"(?:\s+|//[^\n]*|#[^\n]*|/\*.*?\*/)*", re.DOTALL)
# the first statement of a Thrift file: a namespace, an include
_HEADER = re.compile(r"(?:namespace\s+(?:\*|[A-Za-z_][\w.]*)\s+[A-Za-z_][\w.]*|(?:cpp_)?include\s+\"[^\"\n]+\")")
# a struct, union, exception or service whose body has a numbered field or argument: ``1: i32 id``
_NUMBERED = re.compile(r"\b(?:struct|union|exception|service)\s+[A-Za-z_]\w*(?:\s+extends\s+[A-Za-z_][\w.]*)?\s*\{"
                       r"[^{}]*?(?:^|[{,;(\s])-?\d+\s*:\s*(?:required\s+|optional\s+)?[A-Za-z_]", re.MULTILINE)
_TYPEDEF = re.compile(r"^\s*typedef\s+[A-Za-z_][\w.<>, ]*\s+[A-Za-z_]\w*\s*$", re.MULTILINE)
_DIRS_NOT_OURS = (".proto", ".graphql", ".graphqls", ".gql")


class Thrift(Format):
    name = "thrift"
    labels = ("thrift",)
    title = "Thrift"
    document_noun = "a Thrift IDL file"
    text_starts = ("namespace", "include", "cpp_include", "struct", "exception", "typedef", "service", "const")
    folder_suffixes = (SUFFIX,)
    folder_noun = "Thrift (.thrift)"

    def claims_path(self, path: Path) -> bool:
        if path.is_dir():
            from apidiff.core.sources import folder_files

            try:
                found = folder_files(path, (SUFFIX, *_DIRS_NOT_OURS))
            except Exception:
                return False
            return bool(found) and all(p.suffix == SUFFIX for p in found)
        return path.suffix.lower() == SUFFIX

    def load_path(self, path: Path, source: str, options: LoadOptions = LoadOptions()) -> Api:
        return cast(Api, _loader(source).load_path(path, source))

    def detect(self, text: str) -> Detected | None:
        head = text[:65536]
        start = _COMMENTS.match(head)
        rest = head[start.end():] if start is not None else head
        if _HEADER.match(rest):
            return Detected("thrift", Certainty.CERTAIN)
        if _NUMBERED.search(head):
            return Detected("thrift", Certainty.CERTAIN)
        if _TYPEDEF.search(head):
            return Detected("thrift", Certainty.LIKELY)
        return None

    def load(self, texts: Sequence[Text], source: str, label: str, *, path: PurePath | None = None,
             files: Files = LOCAL, options: LoadOptions = LoadOptions()) -> Api:
        return cast(Api, _loader(source).load_files(texts, source, path, files))

    def pairs(self, old: Api, new: Api) -> Iterable[Pair[Any]]:
        from apidiff.formats.thrift.match import pairs

        return pairs(old, new)  # type: ignore[arg-type]

    def show_example(self, text: str) -> tuple[str, str]:
        return "thrift", text


def _loader(source: str) -> Any:
    """The loader, which needs thriftpy2 (the ``thrift`` extra)."""
    try:
        import thriftpy2  # noqa: F401
    except ImportError:
        raise LoadError("reading Thrift needs thriftpy2: pip install 'apidiff[thrift]'", file=source) from None
    from apidiff.formats.thrift import load

    return load


FORMAT = Thrift()

"""``.thrift`` files into :class:`ThriftApi`, parsed by a real parser: thriftpy2's.

thriftpy2 resolves includes, names, typedefs and constants and gives every definition, field, enum value and
method its line. Two things it drops are recovered from its own lexer's tokens: whether a field is written
``optional`` or with no requiredness at all (thriftpy2 keeps only "required or not"), and the names of
constants, typedefs and includes with their lines.

Inputs are confined: every file an ``include`` names is read through the source (a working tree or a git
revision), must stay inside the compared file's folder, and is copied with its folder layout into a scratch
folder where thriftpy2 parses it, so the parser never reads anything else. A syntax error, a missing include,
an include out of the folder or an include cycle is one :class:`~apidiff.core.errors.ParseError` naming the
file and the line.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath, PurePosixPath
from types import ModuleType, SimpleNamespace
from typing import Any

from apidiff.core.errors import ApidiffError, LimitExceeded, ParseError, SourceError
from apidiff.core.location import Location
from apidiff.core.model import Deprecation
from apidiff.core.sources import LOCAL, Files, Text
from apidiff.formats.thrift.model import (
    Const,
    EnumDef,
    EnumValue,
    FieldDef,
    Method,
    Namespace,
    Service,
    StructDef,
    ThriftApi,
    Typedef,
    TypeRef,
)

__all__ = ["MAX_FILES", "load_files", "load_path"]

MAX_FILES = 10_000  # files one input may read, includes counted
_TTYPES = {2: "bool", 3: "byte", 4: "double", 6: "i16", 8: "i32", 10: "i64", 11: "string", 18: "binary"}
_STRUCT, _MAP, _SET, _LIST, _I32 = 12, 13, 14, 15, 8
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


# -- tokens -------------------------------------------------------------------------------------------------

_LEXER: Any = None


def _tokens(text: str, name: str) -> list[Any]:
    """thriftpy2's tokens of ``text`` (a lexer error is one located line)."""
    global _LEXER
    from ply import lex  # type: ignore[import-untyped]
    from thriftpy2.parser import lexer as rules
    from thriftpy2.parser.exc import ThriftLexerError

    if _LEXER is None:
        _LEXER = lex.lex(module=rules, errorlog=lex.NullLogger())
    lexer = _LEXER.clone()
    lexer.lineno = 1
    lexer.input(text)
    out: list[Any] = []
    try:
        while True:
            tok = lexer.token()
            if tok is None:
                return out
            out.append(tok)
    except ThriftLexerError as exc:
        message, line = _split_line(str(exc))
        raise ParseError(message, file=name, line=line or lexer.lineno) from None


def _split_line(message: str) -> tuple[str, int | None]:
    m = re.search(r",? at line (\d+)", message)
    if m is None:
        return message, None
    return (message[:m.start()] + message[m.end():]).strip(), int(m[1])


@dataclass(slots=True)
class _Scan:
    """What a file's tokens tell that thriftpy2's module does not."""

    text: str
    includes: list[tuple[str, int]] = field(default_factory=list)  # (literal, line)
    consts: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # name -> (type as written, line, col)
    typedefs: dict[str, tuple[int, int]] = field(default_factory=dict)
    namespaces: dict[str, tuple[int, int]] = field(default_factory=dict)
    optional: dict[str, set[str]] = field(default_factory=dict)  # struct -> its fields written ``optional``
    columns: dict[tuple[int, str], int] = field(default_factory=dict)  # (line, identifier) -> first column

    def column(self, line: int, name: str) -> int:
        return self.columns.get((line, name), 1)


def _column(text: str, pos: int) -> int:
    return pos - text.rfind("\n", 0, pos)


def _includes(tokens: Sequence[Any]) -> list[tuple[str, int]]:
    return [(tokens[i + 1].value, t.lineno) for i, t in enumerate(tokens[:-1])
            if t.type == "INCLUDE" and tokens[i + 1].type == "LITERAL"]


class _Walk:
    """A walk over the tokens of a file thriftpy2 has accepted: field lists, constants, typedefs, namespaces."""

    def __init__(self, tokens: Sequence[Any], scan: _Scan) -> None:
        self.t, self.i, self.scan = tokens, 0, scan

    def peek(self, ahead: int = 0) -> Any:
        j = self.i + ahead
        return self.t[j] if j < len(self.t) else None

    def kind(self, ahead: int = 0) -> str:
        tok = self.peek(ahead)
        return "" if tok is None else str(tok.type)

    def balanced(self) -> None:
        """Skip one token, or a bracketed group with everything inside it."""
        pairs = {"(": ")", "[": "]", "{": "}", "<": ">"}
        opener = self.kind()
        self.i += 1
        if opener not in pairs:
            return
        depth = 1
        while self.i < len(self.t) and depth:
            k = self.kind()
            depth += 1 if k == opener else -1 if k == pairs[opener] else 0
            self.i += 1

    def type_text(self) -> str:
        """Skip a type (``i32``, ``Foo``, ``map<string, list<Foo>>``, annotated or not) and return it."""
        start = self.i
        self.i += 1
        if self.kind() == "<":
            self.balanced()
        text = "".join(str(tok.value) for tok in self.t[start:self.i]).replace(",", ", ")
        if self.kind() == "(":
            self.balanced()
        return text

    def run(self) -> None:
        while self.i < len(self.t):
            k = self.kind()
            if k in ("STRUCT", "UNION", "EXCEPTION") and self.kind(1) == "IDENTIFIER":
                name = self.peek(1).value
                self.i += 2
                self.fields(name)
            elif k == "CONST":
                self.i += 1
                type_text = self.type_text()
                tok = self.peek()
                if tok is not None and tok.type == "IDENTIFIER":
                    self.scan.consts[tok.value] = (type_text, tok.lineno, _column(self.scan.text, tok.lexpos))
                    self.i += 1
            elif k == "TYPEDEF":
                self.i += 1
                self.type_text()
                tok = self.peek()
                if tok is not None and tok.type == "IDENTIFIER":
                    self.scan.typedefs[tok.value] = (tok.lineno, _column(self.scan.text, tok.lexpos))
                    self.i += 1
            elif k == "NAMESPACE" and self.kind(2) == "IDENTIFIER":
                tok = self.peek()
                self.scan.namespaces[str(self.peek(1).value)] = (tok.lineno, _column(self.scan.text, tok.lexpos))
                self.i += 3
            else:
                self.i += 1

    def fields(self, struct: str) -> None:
        """``{ [id:] [required|optional] type name [= value] [(annotations)] [sep] … }``"""
        if self.kind() != "{":
            return
        self.i += 1
        optional = self.scan.optional.setdefault(struct, set())
        while self.i < len(self.t) and self.kind() != "}":
            before = self.i
            if self.kind() == "INTCONSTANT" and self.kind(1) == ":":
                self.i += 2
            word = self.kind() if self.kind() in ("REQUIRED", "OPTIONAL") else ""
            if word:
                self.i += 1
            self.type_text()
            tok = self.peek()
            if tok is not None and tok.type == "IDENTIFIER":
                if word == "OPTIONAL":
                    optional.add(tok.value)
                self.i += 1
            if self.kind() == "=":
                self.i += 1
                self.balanced()
            if self.kind() == "(":
                self.balanced()
            if self.kind() in (",", ";"):
                self.i += 1
            if self.i == before:
                self.i += 1
        self.i += 1


def _scan(text: str, tokens: Sequence[Any]) -> _Scan:
    scan = _Scan(text=text, includes=_includes(tokens))
    for tok in tokens:
        if tok.type == "IDENTIFIER":
            scan.columns.setdefault((tok.lineno, tok.value), _column(text, tok.lexpos))
    _Walk(tokens, scan).run()
    return scan


# -- sources ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _File:
    rel: str  # its path in the scratch folder (posix, ends with .thrift)
    key: str  # how its definitions are qualified ("" for the one file compared, else its path without .thrift)
    text: Text
    tokens: list[Any]
    includes: list[tuple[str, int]]
    children: list[str] = field(default_factory=list)  # the rel paths it includes


class _Sources:
    """The files to compare and everything they include, read through ``files`` and confined to ``root``."""

    def __init__(self, files: Files, root: PurePath | None) -> None:
        self.files, self.root = files, root
        self.by_rel: dict[str, _File] = {}
        self.known: dict[str, Text] = {}  # rel -> text given up front (a folder's files, or text input)

    def add_root(self, rel: str, text: Text, key: str) -> _File:
        return self._add(rel, text, key)

    def _add(self, rel: str, text: Text, key: str) -> _File:
        if len(self.by_rel) >= MAX_FILES:
            raise LimitExceeded(f"more than {MAX_FILES:,} files included", file=text.name)
        tokens = _tokens(text.text, text.name)
        f = _File(rel=rel, key=key, text=text, tokens=tokens, includes=_includes(tokens))
        self.by_rel[rel] = f
        return f

    def resolve(self, start: _File, stack: tuple[str, ...] = ()) -> None:
        """Read what ``start`` includes, depth first; a cycle, an escape or a missing file is an error there."""
        stack = (*stack, start.rel)
        for literal, line in start.includes:
            target = self._target(start, literal, line)
            start.children.append(target)
            if target in stack:
                chain = " -> ".join((*stack[stack.index(target):], target))
                raise ParseError(f"include cycle: {chain}", file=start.text.name, line=line)
            if target not in self.by_rel:
                child = self._add(target, self._read(target, literal, start, line), target.removesuffix(".thrift"))
                self.resolve(child, stack)
            else:
                self._no_cycle(target, stack, start, line)

    def _no_cycle(self, rel: str, stack: tuple[str, ...], start: _File, line: int) -> None:
        seen: set[str] = set()
        todo = [rel]
        while todo:
            here = todo.pop()
            if here in stack:
                raise ParseError(f"include cycle through {rel}", file=start.text.name, line=line)
            if here not in seen:
                seen.add(here)
                todo += self.by_rel[here].children if here in self.by_rel else []

    def _target(self, start: _File, literal: str, line: int) -> str:
        where = {"file": start.text.name, "line": line}
        if not literal.endswith(".thrift"):
            raise ParseError(f"included file {literal!r} must end with .thrift", **where)  # type: ignore[arg-type]
        if literal.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", literal) or "://" in literal or "\\" in literal:
            raise ParseError(f"included file {literal!r} must be a relative path inside the schema's folder",
                             **where)  # type: ignore[arg-type]
        joined = os.path.normpath(str(PurePosixPath(start.rel).parent / literal)).replace(os.sep, "/")
        if joined.startswith("../") or joined == "..":
            raise ParseError(f"included file {literal!r} is outside the schema's folder", **where)  # type: ignore[arg-type]
        return joined

    def _read(self, rel: str, literal: str, start: _File, line: int) -> Text:
        if rel in self.known:
            return self.known[rel]
        if self.root is None:
            raise ParseError(f"included file {literal!r} not found", file=start.text.name, line=line)
        path = self.files.normalize(self.root / rel)
        root = self.files.normalize(self.root)
        if not path.is_relative_to(root):  # a link out of the folder
            raise ParseError(f"included file {literal!r} is outside the schema's folder", file=start.text.name,
                             line=line)
        try:
            return self.files.read(path)
        except SourceError as exc:
            if "no such file" in exc.message or "not in " in exc.message:
                raise ParseError(f"included file {literal!r} not found", file=start.text.name, line=line) from None
            raise


# -- parsing ------------------------------------------------------------------------------------------------


class _Yacc:
    """Stands in for ``ply.yacc`` in thriftpy2's parser while apidiff parses: thriftpy2 builds its LALR table
    anew for every file it parses (includes too), which costs more than the parse; the table is built once
    here and each parse gets a fresh parser over it (parsers of nested includes never share state)."""

    table: Any = None

    def __init__(self, real: Any, grammar: ModuleType) -> None:
        self.real, self.grammar = real, grammar

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def yacc(self, **options: Any) -> Any:
        if _Yacc.table is None:
            built = self.real.yacc(debug=False, write_tables=False, module=self.grammar,
                                   errorlog=self.real.NullLogger())
            _Yacc.table = (SimpleNamespace(lr_productions=built.productions, lr_action=built.action,
                                           lr_goto=built.goto), built.errorfunc)
        table, errorfunc = _Yacc.table
        return self.real.LRParser(table, errorfunc)


def _parse(path: str) -> ModuleType:
    """thriftpy2's module of the file at ``path``, with no cache shared with other parses (its includes are
    cached process-wide by module name, so two versions of ``common.thrift`` would otherwise be one)."""
    from thriftpy2.parser import parser as p

    grammar: Any = p  # the module whose ``yacc`` is swapped (mypy: not one of its exports)
    with p._parse_lock:
        saved = dict(p._thrift_cache)
        p._thrift_cache.clear()
        real = grammar.yacc
        grammar.yacc = _Yacc(real, p)
        try:
            module: ModuleType = p.parse(path, include_dirs=[], enable_cache=False)  # type: ignore[no-untyped-call]
            return module
        finally:
            grammar.yacc = real
            p._thrift_cache.clear()
            p._thrift_cache.update(saved)


def _failure(exc: BaseException, scratch: Path, sources: _Sources, root: _File) -> ApidiffError:
    """thriftpy2's complaint as one located error."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    names = {os.path.normpath(str(scratch / rel)): f for rel, f in sources.by_rel.items()}
    m = re.match(r"Grammar error (?:(?P<value>.+?) at line (?P<line>\d+)|at EOF) of the file '(?P<file>.*)'$", text)
    if m is not None:
        f = names.get(os.path.normpath(m["file"]), root)
        if m["line"] is None:
            return ParseError("unexpected end of file", file=f.text.name, line=f.text.text.count("\n") + 1)
        return ParseError(f"syntax error at {m['value']}", file=f.text.name, line=int(m["line"]))
    if isinstance(exc, RecursionError):
        return LimitExceeded("definitions nest too deeply", file=root.text.name)
    message, line = _split_line(text)
    f = _blame(scratch, sources, root)
    if line is None:  # "'User' type is already defined": the last line naming it
        quoted = re.findall(r"'(?:-?\d+:)?([A-Za-z_][\w.]*)'", message)
        lines = [t.lineno for name in quoted[:1] for t in f.tokens if t.type == "IDENTIFIER" and t.value == name]
        line = lines[-1] if lines else None
    return ParseError(message, file=f.text.name, line=line)


def _blame(scratch: Path, sources: _Sources, root: _File) -> _File:
    """The file an unlocated complaint is about: the first, leaves first, that fails on its own."""
    order: list[str] = []

    def visit(rel: str) -> None:
        if rel in order or rel not in sources.by_rel:
            return
        for child in sources.by_rel[rel].children:
            visit(child)
        order.append(rel)

    visit(root.rel)
    for rel in order[:-1]:
        try:
            _parse(str(scratch / rel))
        except Exception:
            return sources.by_rel[rel]
    return root


# -- the model ----------------------------------------------------------------------------------------------


def _deprecation(annotations: Mapping[str, Any] | None) -> Deprecation | None:
    if not annotations or "deprecated" not in annotations:
        return None
    reason = annotations.get("deprecated") or None
    sunset = _date(annotations.get("sunset")) or _date(reason)
    return Deprecation(reason=reason, sunset=sunset)


def _date(text: object) -> date | None:
    found = _DATE.findall(text) if isinstance(text, str) else []
    for y, m, d in reversed(found):
        try:
            return date(int(y), int(m), int(d))
        except ValueError:
            continue
    return None


def _canon(value: Any) -> str:
    """A constant or default value written one way whatever its spelling (``1.0`` and ``1`` as doubles alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_canon(v) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "[" + ", ".join(sorted(_canon(v) for v in value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted((_canon(k), _canon(v)) for k, v in value.items())) + "}"
    spec = getattr(value, "thrift_spec", None)
    if isinstance(spec, dict):
        inner = ", ".join(f"{s[1]}: {_canon(getattr(value, s[1], None))}" for _, s in sorted(spec.items())
                          if getattr(value, s[1], None) is not None)
        return f"{type(value).__name__}{{{inner}}}"
    return repr(value)


class _Builder:
    def __init__(self, sources: _Sources, scratch: Path) -> None:
        self.sources = sources
        self.by_path = {os.path.normpath(str(scratch / rel)): f for rel, f in sources.by_rel.items()}
        self.scans: dict[str, _Scan] = {}
        self.structs: dict[str, StructDef] = {}
        self.enums: dict[str, EnumDef] = {}
        self.services: dict[str, Service] = {}
        self.consts: dict[str, Const] = {}
        self.typedefs: dict[str, Typedef] = {}
        self.namespaces: dict[str, Namespace] = {}
        self.done: set[str] = set()

    def file_of(self, obj: Any) -> _File:
        path = getattr(obj, "__thrift_file__", None)
        f = self.by_path.get(os.path.normpath(str(path))) if path else None
        if f is None:
            raise ParseError(f"cannot tell which file declares {getattr(obj, '__name__', obj)!r}")
        return f

    def scan(self, f: _File) -> _Scan:
        if f.rel not in self.scans:
            self.scans[f.rel] = _scan(f.text.text, f.tokens)
        return self.scans[f.rel]

    def qualify(self, obj: Any) -> str:
        key = self.file_of(obj).key
        name = str(obj.__name__)
        return f"{key}.{name}" if key else name

    def at(self, f: _File, line: int | None, name: str, pointer: str) -> Location:
        line = line or 1
        return Location(f.text.name, line, self.scan(f).column(line, name), pointer)

    def type(self, ttype: Any, sub: Any, where: _File) -> TypeRef:
        if isinstance(ttype, int) and ttype in _TTYPES and (ttype != _I32 or sub is None):
            return TypeRef(_TTYPES[ttype])
        if ttype == _I32 and isinstance(sub, type):
            return TypeRef("enum", self.qualify(sub))
        if ttype == _STRUCT and isinstance(sub, type):
            return TypeRef("struct", self.qualify(sub))
        if ttype in (_LIST, _SET):
            return TypeRef("list" if ttype == _LIST else "set", args=(self.part(sub, where),))
        if ttype == _MAP and isinstance(sub, tuple) and len(sub) == 2:
            return TypeRef("map", args=(self.part(sub[0], where), self.part(sub[1], where)))
        raise ParseError(f"a type that cannot be resolved ({ttype!r})", file=where.text.name)

    def part(self, spec: Any, where: _File) -> TypeRef:
        if isinstance(spec, tuple) and len(spec) == 2:
            return self.type(spec[0], spec[1], where)
        return self.type(spec, None, where)

    def fields(self, cls: Any, f: _File, owner: str, optional: set[str],
               skip_zero: bool = False) -> dict[int, FieldDef]:
        spec: Mapping[int, tuple[Any, ...]] = getattr(cls, "thrift_spec", {}) or {}
        defaults = dict(getattr(cls, "default_spec", []) or [])
        lines: Mapping[str, int] = getattr(cls, "__thrift_field_linenos__", {}) or {}
        notes: Mapping[str, Any] = getattr(cls, "__thrift_field_annotations__", {}) or {}
        out: dict[int, FieldDef] = {}
        for fid, entry in spec.items():
            if skip_zero and fid == 0:
                continue
            name = str(entry[1])
            required = bool(entry[-1])
            ref = self.type(entry[0], entry[2] if len(entry) == 4 else None, f)
            default = defaults.get(name)
            out[int(fid)] = FieldDef(
                id=int(fid), name=name, type=ref,
                requiredness="required" if required else "optional" if name in optional else "default",
                default=_canon(default) if default is not None else None, deprecation=_deprecation(notes.get(name)),
                location=self.at(f, lines.get(name), name, f"/{owner}/{name}"))
        return out

    def module(self, module: ModuleType) -> None:
        f = self.file_of(module)
        if f.rel in self.done:
            return
        self.done.add(f.rel)
        meta: Mapping[str, list[Any]] = getattr(module, "__thrift_meta__", {}) or {}
        for child in meta.get("includes", ()):
            self.module(child)
        scan = self.scan(f)

        def q(name: str) -> str:
            return f"{f.key}.{name}" if f.key else name

        for scope, name in (getattr(module, "__thrift_namespaces__", {}) or {}).items():
            line, col = scan.namespaces.get(scope, (1, 1))
            key = f"{f.key}:{scope}" if f.key else scope
            self.namespaces[key] = Namespace(scope=scope, module=f.key, name=str(name),
                                             location=Location(f.text.name, line, col, f"/namespace/{scope}"))
        for kind in ("structs", "unions", "exceptions"):
            for cls in meta.get(kind, ()):
                name = q(cls.__name__)
                self.structs[name] = StructDef(
                    name=name, kind=kind[:-1], file=f.text.name,
                    fields=self.fields(cls, f, name, scan.optional.get(cls.__name__, set())),
                    deprecation=_deprecation(getattr(cls, "__thrift_annotations__", None)),
                    location=self.at(f, getattr(cls, "__thrift_lineno__", None), cls.__name__, f"/{name}"))
        for cls in meta.get("enums", ()):
            name = q(cls.__name__)
            lines = getattr(cls, "__thrift_item_linenos__", {}) or {}
            notes = getattr(cls, "__thrift_item_annotations__", {}) or {}
            values: dict[int, EnumValue] = {}
            for vname, number in (getattr(cls, "_NAMES_TO_VALUES", {}) or {}).items():
                values.setdefault(int(number), EnumValue(
                    number=int(number), name=str(vname), deprecation=_deprecation(notes.get(vname)),
                    location=self.at(f, lines.get(vname), vname, f"/{name}/{vname}")))
            self.enums[name] = EnumDef(name=name, file=f.text.name, values=dict(sorted(values.items())),
                                       deprecation=_deprecation(getattr(cls, "__thrift_annotations__", None)),
                                       location=self.at(f, getattr(cls, "__thrift_lineno__", None), cls.__name__,
                                                        f"/{name}"))
        for cls in meta.get("services", ()):
            self.service(cls, f)
        for cname, (type_text, line, col) in scan.consts.items():
            if hasattr(module, cname):
                self.consts[q(cname)] = Const(name=q(cname), type=type_text, value=_canon(getattr(module, cname)),
                                              location=Location(f.text.name, line, col, f"/const/{cname}"))
        for tname, (line, col) in scan.typedefs.items():
            value = getattr(module, tname, None)
            if value is None:
                continue
            ref = self.type(value[0], value[1], f) if isinstance(value, tuple) else self.type(value, None, f)
            self.typedefs[q(tname)] = Typedef(name=q(tname), type=ref,
                                              location=Location(f.text.name, line, col, f"/typedef/{tname}"))

    def service(self, cls: Any, f: _File) -> None:
        name = self.qualify(cls)
        base = next((b for b in cls.__bases__ if hasattr(b, "thrift_services")), None)
        methods: dict[str, Method] = {}
        for mname in getattr(cls, "thrift_services", ()):
            owner = next((c for c in cls.__mro__ if f"{mname}_args" in c.__dict__), None)
            if owner is None or mname in methods:
                continue
            methods[mname] = self.method(owner, mname)
        self.services[name] = Service(
            name=name, file=f.text.name, extends=self.qualify(base) if base is not None else None,
            methods=dict(sorted(methods.items())),
            deprecation=_deprecation(getattr(cls, "__thrift_annotations__", None)),
            location=self.at(f, getattr(cls, "__thrift_lineno__", None), cls.__name__, f"/{name}"))

    def method(self, owner: Any, mname: str) -> Method:
        f = self.file_of(owner)
        service = self.qualify(owner)
        args_cls, result_cls = owner.__dict__[f"{mname}_args"], owner.__dict__[f"{mname}_result"]
        success = (getattr(result_cls, "thrift_spec", {}) or {}).get(0)
        returns = self.type(success[0], success[2] if len(success) == 4 else None, f) if success else None
        lines = owner.__dict__.get("__thrift_function_linenos__", {}) or {}
        notes = owner.__dict__.get("__thrift_function_annotations__", {}) or {}
        where = f"{service}.{mname}"
        return Method(name=mname, service=service, oneway=bool(getattr(result_cls, "oneway", False)), returns=returns,
                      args=self.fields(args_cls, f, where, set()),
                      throws=self.fields(result_cls, f, where, set(), skip_zero=True),
                      deprecation=_deprecation(notes.get(mname)),
                      location=self.at(f, lines.get(mname), mname, f"/{where}"))


def _build(sources: _Sources, roots: Sequence[_File], source: str) -> ThriftApi:
    with tempfile.TemporaryDirectory(prefix="apidiff-thrift-") as scratch_name:
        scratch = Path(scratch_name)
        for rel, f in sources.by_rel.items():
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f.text.text, encoding="utf-8")
        builder = _Builder(sources, scratch)
        for root in roots:
            try:
                module = _parse(str(scratch / root.rel))
            except Exception as exc:  # thriftpy2's errors, and anything its parser trips on
                raise _failure(exc, scratch, sources, root) from None
            try:
                builder.module(module)
            except RecursionError:
                raise LimitExceeded("types nest too deeply", file=root.text.name) from None
    return ThriftApi(kind="thrift", source=source, files=tuple(f.text.name for f in sources.by_rel.values()),
                     namespaces=dict(sorted(builder.namespaces.items())), consts=dict(sorted(builder.consts.items())),
                     typedefs=dict(sorted(builder.typedefs.items())), structs=dict(sorted(builder.structs.items())),
                     enums=dict(sorted(builder.enums.items())), services=dict(sorted(builder.services.items())))


def _thrift_name(name: str) -> str:
    return name if name.endswith(".thrift") else f"{name}.thrift"


def load_files(texts: Sequence[Text], source: str, path: PurePath | None = None, files: Files = LOCAL) -> ThriftApi:
    """One file (``path`` its place in ``files``, whose folder holds what it may include), text (no includes
    but among the texts), or several files of a folder (each compared, qualified by its path)."""
    if len(texts) == 1:
        text = texts[0]
        if path is not None:
            sources = _Sources(files, PurePath(path).parent)
            root = sources.add_root(_thrift_name(PurePath(path).name), text, "")
        else:
            sources = _Sources(files, None)
            root = sources.add_root("input.thrift", text, "")
        sources.resolve(root)
        return _build(sources, [root], source)
    sources = _Sources(files, None)
    rels = _relative([t.name for t in texts])
    sources.known = {rel: t for rel, t in zip(rels, texts, strict=True)}
    roots = [sources.add_root(rel, t, rel.removesuffix(".thrift")) for rel, t in zip(rels, texts, strict=True)]
    for root in roots:
        sources.resolve(root)
    return _build(sources, roots, source)


def _relative(names: Sequence[str]) -> list[str]:
    """Names below their common folder (a folder's files, as read), as posix paths ending with .thrift."""
    parts = [PurePosixPath(n.replace("\\", "/").split(":", 1)[-1] if ":" in n and "/" in n else
                           n.replace("\\", "/")).parts for n in names]
    common = 0
    while all(len(p) > common + 1 for p in parts) and len({p[common] for p in parts}) == 1:
        common += 1
    return [_thrift_name("/".join(p[common:])) for p in parts]


def load_path(path: Path, source: str) -> ThriftApi:
    """A ``.thrift`` file, or a folder of them (every ``.thrift`` file below it is compared)."""
    from apidiff.core.sources import folder_files, read_text

    if not path.is_dir():
        return load_files([read_text(path, display=source)], source, path.resolve(), LOCAL)
    found = folder_files(path, (".thrift",))
    if not found:
        raise SourceError("folder holds no .thrift file", file=str(path))
    root = path.resolve()
    texts = [read_text(p) for p in found]
    rels = [p.resolve().relative_to(root).as_posix() for p in found]
    sources = _Sources(LOCAL, root)
    roots = [sources.add_root(rel, t, rel.removesuffix(".thrift")) for rel, t in zip(rels, texts, strict=True)]
    for r in roots:
        sources.resolve(r)
    return _build(sources, roots, source)

"""What a Protobuf input is: an image, a buf module (``buf.yaml`` v1/v2, ``buf.work.yaml``), a folder, a file or
text; how its ``.proto`` files are found and compiled, and which ``breaking`` configuration comes with it."""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2 as d
from google.protobuf import json_format

from apidiff.core._yaml import parse_document
from apidiff.core.errors import ParseError, SourceError
from apidiff.core.sources import MAX_FILE_BYTES, Text, folder_files
from apidiff.formats.protobuf.compile import compile_sources
from apidiff.formats.protobuf.load import from_descriptor_set, parse_image
from apidiff.formats.protobuf.model import Breaking, ProtoApi

__all__ = ["load_json_image", "load_path", "load_texts", "read_breaking"]

_BREAKING_KEYS = {"use", "except", "ignore", "ignore_only", "ignore_unstable_packages",
                  "against_git_branch_name", "disable_builtin"}


def load_path(path: Path, source: str) -> ProtoApi:
    """An image file, or a folder that is a buf module or workspace."""
    if path.is_dir():
        return _load_module(path, source)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit", file=source)
    data = path.read_bytes()
    if data.lstrip()[:1] == b"{":
        return load_json_image(Text(source, data.decode("utf-8", "replace")), source)
    return from_descriptor_set(parse_image(data, source), source)


def load_json_image(text: Text, source: str) -> ProtoApi:
    """buf's JSON image (``buf build -o image.json``): a ``FileDescriptorSet`` in the proto3 JSON mapping."""
    try:
        data = json.loads(text.text)
    except json.JSONDecodeError as exc:
        raise ParseError(exc.msg, file=text.name, line=exc.lineno, column=exc.colno) from None
    image = d.FileDescriptorSet()
    try:
        json_format.ParseDict(data, image, ignore_unknown_fields=True)
    except (json_format.ParseError, TypeError, ValueError) as exc:
        raise ParseError(f"not a Protobuf image: {str(exc).splitlines()[0]}", file=text.name) from None
    if not image.file:
        raise ParseError("not a Protobuf image: no file descriptors", file=text.name)
    return from_descriptor_set(image, source)


def load_texts(texts: Sequence[Text], source: str, path: Path | None) -> ProtoApi:
    """``.proto`` sources: a folder (``path`` a directory), one file, or text without a file."""
    if path is not None and path.is_dir():
        return _load_folder(path, source, [path], Breaking())
    if path is not None:
        root = _module_root(path.parent)
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        display = {relative: str(path)}
        image = compile_sources([root], [relative], display=display)
        return from_descriptor_set(parse_image(image, str(path)), source, inputs=[relative], display=display,
                                   breaking=read_breaking(root))
    with tempfile.TemporaryDirectory(prefix="apidiff-proto-") as scratch:
        names = []
        display = {}
        for i, text in enumerate(texts):
            parts = split_files(text.text)
            if parts is None:
                parts = {"input.proto" if len(texts) == 1 else f"input{i}.proto": text.text}
                display[next(iter(parts))] = text.name
            for name, body in parts.items():
                target = Path(scratch, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(body, encoding="utf-8")
                names.append(name)
                display.setdefault(name, name)
        image = compile_sources([Path(scratch)], names, display=display)
        return from_descriptor_set(parse_image(image, texts[0].name), source, inputs=names, display=display)


_FILE_MARK = re.compile(r"^// file: ([\w./-]+\.proto)[ \t]*$", re.MULTILINE)


def split_files(text: str) -> dict[str, str] | None:
    """A text of several files, each after a line ``// file: a/b.proto`` (how rule examples show changes across
    files), as name -> text; None for a text without such lines. Names stay relative and inside the folder."""
    marks = list(_FILE_MARK.finditer(text))
    if not marks or text[:marks[0].start()].strip():
        return None
    out: dict[str, str] = {}
    for i, m in enumerate(marks):
        name = m[1]
        if name.startswith("/") or ".." in name.split("/"):
            raise ParseError(f"file name {name!r} must stay inside the folder", file="<text>")
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out[name] = "\n" * text.count("\n", 0, m.end() + 1) + text[m.end() + 1:end]  # keep the lines' numbers
    return out


def _module_root(folder: Path) -> Path:
    """The nearest folder up from ``folder`` with a ``buf.yaml`` (a file's imports are relative to its module),
    else ``folder``."""
    here = folder.resolve()
    for candidate in (here, *here.parents):
        if (candidate / "buf.yaml").is_file():
            return candidate
    return folder


def _load_module(folder: Path, source: str) -> ProtoApi:
    """A buf workspace (``buf.work.yaml``: its ``directories``) or module (``buf.yaml`` v1: the folder, minus
    ``build.excludes``; v2: its ``modules``' ``path``s, minus their ``excludes``)."""
    work = folder / "buf.work.yaml"
    config = _read_yaml(folder / "buf.yaml") if (folder / "buf.yaml").is_file() else {}
    if work.is_file() and not config:
        data = _read_yaml(work)
        dirs = data.get("directories") if isinstance(data, dict) else None
        if not isinstance(dirs, list) or not all(isinstance(x, str) for x in dirs):
            raise ParseError("buf.work.yaml: directories must be a list of folders", file=str(work))
        roots = [folder / x for x in dirs]
        breaking = read_breaking(roots[0]) if roots else Breaking()
        return _load_folder(folder, source, roots, breaking)
    version = str(config.get("version", "v1")) if isinstance(config, dict) else "v1"
    excludes: list[Path] = []
    roots = [folder]
    if version == "v2":
        modules = config.get("modules") or [{"path": "."}]
        if not isinstance(modules, list):
            raise ParseError("buf.yaml: modules must be a list", file=str(folder / "buf.yaml"))
        roots = []
        for m in modules:
            if not isinstance(m, dict) or not isinstance(m.get("path", "."), str):
                raise ParseError("buf.yaml: each module needs a path", file=str(folder / "buf.yaml"))
            roots.append(folder / m.get("path", "."))
            excludes += [folder / x for x in m.get("excludes") or () if isinstance(x, str)]
    else:
        build = config.get("build") or {} if isinstance(config, dict) else {}
        if not isinstance(build, dict):
            raise ParseError("buf.yaml: build must be a mapping", file=str(folder / "buf.yaml"))
        if version == "v1beta1" and isinstance(build.get("roots"), list):  # v1beta1: several roots in one module
            roots = [folder / r for r in build["roots"] if isinstance(r, str)]
        excludes += [folder / x for x in (build.get("excludes") or ()) if isinstance(x, str)]
    return _load_folder(folder, source, roots, read_breaking(folder), excludes)


def _load_folder(folder: Path, source: str, roots: Sequence[Path], breaking: Breaking,
                 excludes: Sequence[Path] = ()) -> ProtoApi:
    files: list[str] = []
    display: dict[str, str] = {}
    skip = [e.resolve() for e in excludes]
    for root in roots:
        if not root.is_dir():
            raise SourceError("module folder does not exist", file=str(root))
        for p in folder_files(root, (".proto",)):
            resolved = p.resolve()
            if any(resolved.is_relative_to(e) for e in skip):
                continue
            relative = resolved.relative_to(root.resolve()).as_posix()
            if relative in display:
                raise ParseError(f"{relative} is in two module roots", file=str(p))
            files.append(relative)
            display[relative] = str(p)
    if not files:
        raise SourceError("folder holds no .proto file", file=str(folder))
    image = compile_sources(list(roots), files, display=display)
    return from_descriptor_set(parse_image(image, source), source, inputs=files, display=display, breaking=breaking)


def _read_yaml(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return parse_document(text, str(path)) or {}


def read_breaking(folder: Path) -> Breaking:
    """The ``breaking`` section of ``folder/buf.yaml`` (v1 or v2), or buf's default (``FILE``)."""
    config_path = folder / "buf.yaml"
    if not config_path.is_file():
        return Breaking()
    config = _read_yaml(config_path)
    version = str(config.get("version", "v1")) if isinstance(config, dict) else "v1"
    version = version if version in ("v1beta1", "v1", "v2") else "v1"
    section = config.get("breaking") if isinstance(config, dict) else None
    if section is None and isinstance(config, dict) and isinstance(config.get("modules"), list):
        for m in config["modules"]:
            if isinstance(m, dict) and isinstance(m.get("breaking"), dict):
                section = m["breaking"]
                break
    if not isinstance(section, dict):
        return Breaking(version=version)
    return dataclasses.replace(breaking_from(section, str(config_path)), version=version)


def breaking_from(section: Mapping[str, Any], where: str) -> Breaking:
    from apidiff.formats.protobuf.profiles import check_ids

    unknown = sorted(set(section) - _BREAKING_KEYS)
    if unknown:
        raise ParseError(f"buf.yaml: unknown key breaking.{unknown[0]}", file=where)

    def strings(key: str) -> tuple[str, ...]:
        value = section.get(key) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ParseError(f"buf.yaml: breaking.{key} must be a list of strings", file=where)
        return tuple(value)

    use, except_ = strings("use") or ("FILE",), strings("except")
    check_ids((*use, *except_), where)
    only = section.get("ignore_only") or {}
    if not isinstance(only, dict):
        raise ParseError("buf.yaml: breaking.ignore_only must map rule ids to paths", file=where)
    check_ids(tuple(only), where)
    return Breaking(use=use, except_=except_, ignore=strings("ignore"),
                    ignore_only={str(k): tuple(str(x) for x in (v or ())) for k, v in only.items()},
                    ignore_unstable_packages=section.get("ignore_unstable_packages") is True)

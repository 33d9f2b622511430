"""What a Protobuf input is: an image, a buf module (``buf.yaml`` v1/v2, ``buf.work.yaml``), a folder, a file or
text; how its ``.proto`` files are found and compiled, and which ``breaking`` configuration comes with it."""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2 as d
from google.protobuf import json_format

from apidiff.core._yaml import parse_document, yaml_pointer_positions
from apidiff.core.errors import LimitExceeded, ParseError, SourceError
from apidiff.core.sources import MAX_FILE_BYTES, Text, decode, folder_files, read_text
from apidiff.formats.protobuf.compile import compile_sources
from apidiff.formats.protobuf.load import check_image, from_descriptor_set, parse_image
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
        return load_json_image(Text(source, decode(data, source)), source)
    return from_descriptor_set(parse_image(data, source), source)


def load_json_image(text: Text, source: str) -> ProtoApi:
    """buf's JSON image (``buf build -o image.json``): a ``FileDescriptorSet`` in the proto3 JSON mapping."""
    try:
        data = json.loads(text.text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg}", file=text.name, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise LimitExceeded("the JSON nests too deeply", file=text.name) from None
    if not isinstance(data, dict) or not isinstance(data.get("file"), list):
        raise ParseError('not a Protobuf image: a JSON image is an object with a "file" list', file=text.name)
    image = d.FileDescriptorSet()
    try:
        json_format.ParseDict(data, image, ignore_unknown_fields=True)
    except (json_format.ParseError, TypeError, ValueError, RecursionError) as exc:
        raise ParseError(f"not a Protobuf image: {_json_problem(exc)}", file=text.name) from None
    return from_descriptor_set(check_image(image, text.name), source)


def _json_problem(exc: Exception) -> str:
    """json_format's message (``Failed to parse file field: Failed to parse name field: ...``), shortened: the
    innermost complaint, and where, as the path of fields."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    fields = re.findall(r"Failed to parse (\w+) field: ", text)
    rest = re.sub(r"(?:Failed to parse \w+ field: )+", "", text).rstrip(".")[:200]
    if not fields:
        return rest
    return f"{rest} (at {'.'.join(fields[:6])}{'...' if len(fields) > 6 else ''})"


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


VERSIONS = ("v1beta1", "v1", "v2")


@dataclasses.dataclass(frozen=True)
class _Config:
    """A ``buf.yaml`` or ``buf.work.yaml``: its mapping, and its text to locate what is wrong in it."""

    path: Path
    text: str
    data: dict[str, Any]

    def error(self, message: str, pointer: str = "") -> ParseError:
        """A one-line error at ``pointer`` (a JSON pointer: ``/breaking/use/1``), or the nearest enclosing key
        found (a flow list has one line)."""
        line = column = None
        parts = pointer.split("/")
        candidates = ["/".join(parts[:n]) for n in range(len(parts), 1, -1)]
        if candidates:
            found = yaml_pointer_positions(self.text, candidates)
            for candidate in candidates:
                if candidate in found:
                    line, column = found[candidate]
                    break
        return ParseError(message, file=str(self.path), line=line, column=column)

    def version(self, default: str = "v1", allowed: Sequence[str] = VERSIONS) -> str:
        version = self.data.get("version", default)
        if not isinstance(version, str) or version not in allowed:
            raise self.error(f"unknown version {version!r} (buf knows {', '.join(allowed)})", "/version")
        return version

    def inside(self, folder: Path, value: Any, pointer: str, what: str) -> Path:
        """``folder / value`` for a folder named in the configuration, which must stay inside ``folder`` (the
        module's or workspace's): an untrusted module cannot make apidiff read other folders."""
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            raise self.error(f"{what} must be a folder name", pointer)
        target = folder / value
        if Path(value).is_absolute() or not target.resolve().is_relative_to(folder.resolve()):
            raise self.error(f"{what} {value!r} is outside the folder of {self.path.name} (not followed; "
                             "give that folder itself to compare it)", pointer)
        return target


def _read_config(path: Path) -> _Config:
    text = read_text(path).text
    data = parse_document(text, str(path))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ParseError(f"{path.name} must be a mapping (version, modules, breaking, ...)", file=str(path), line=1)
    return _Config(path, text, data)


def _load_module(folder: Path, source: str) -> ProtoApi:
    """A buf workspace (``buf.work.yaml``: its ``directories``) or module (``buf.yaml`` v1: the folder, minus
    ``build.excludes``; v2: its ``modules``' ``path``s, minus their ``excludes``)."""
    work = folder / "buf.work.yaml"
    config = _read_config(folder / "buf.yaml") if (folder / "buf.yaml").is_file() else None
    if work.is_file() and not (config and config.data):
        workspace = _read_config(work)
        workspace.version(allowed=("v1",))
        dirs = workspace.data.get("directories")
        if not isinstance(dirs, list):
            raise workspace.error("directories must be a list of folders", "/directories")
        roots = [workspace.inside(folder, x, f"/directories/{i}", "directory") for i, x in enumerate(dirs)]
        breaking = read_breaking(roots[0]) if roots else Breaking()
        return _load_folder(folder, source, roots, breaking)
    if config is None:
        return _load_folder(folder, source, [folder], Breaking())
    version = config.version()
    excludes: list[Path] = []
    roots = [folder]
    if version == "v2":
        modules = config.data.get("modules") or [{"path": "."}]
        if not isinstance(modules, list):
            raise config.error("modules must be a list", "/modules")
        roots = []
        for i, m in enumerate(modules):
            if not isinstance(m, dict):
                raise config.error("each module needs a path", f"/modules/{i}")
            roots.append(config.inside(folder, m.get("path", "."), f"/modules/{i}/path", "module path"))
            excludes += [folder / x for x in _strings(config, m.get("excludes"), f"/modules/{i}/excludes")]
    else:
        build = config.data.get("build") or {}
        if not isinstance(build, dict):
            raise config.error("build must be a mapping", "/build")
        if version == "v1beta1" and build.get("roots") is not None:  # v1beta1: several roots in one module
            if not isinstance(build["roots"], list):
                raise config.error("build.roots must be a list of folders", "/build/roots")
            roots = [config.inside(folder, r, f"/build/roots/{i}", "root") for i, r in enumerate(build["roots"])]
        excludes += [folder / x for x in _strings(config, build.get("excludes"), "/build/excludes")]
    return _load_folder(folder, source, roots, _breaking(config), excludes)


def _strings(config: _Config, value: Any, pointer: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) and "\0" not in x for x in value):
        raise config.error(f"{pointer.strip('/').replace('/', '.')} must be a list of paths", pointer)
    return value


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


def read_breaking(folder: Path) -> Breaking:
    """The ``breaking`` section of ``folder/buf.yaml`` (v1 or v2), or buf's default (``FILE``)."""
    config_path = folder / "buf.yaml"
    if not config_path.is_file():
        return Breaking()
    return _breaking(_read_config(config_path))


def _breaking(config: _Config) -> Breaking:
    version = config.version()
    section, pointer = config.data.get("breaking"), "/breaking"
    if section is None and isinstance(config.data.get("modules"), list):
        for i, m in enumerate(config.data["modules"]):
            if isinstance(m, dict) and m.get("breaking") is not None:
                section, pointer = m["breaking"], f"/modules/{i}/breaking"
                break
    if section is None:
        return Breaking(version=version)
    if not isinstance(section, dict):
        raise config.error("breaking must be a mapping (use, except, ignore, ...)", pointer)
    return dataclasses.replace(breaking_from(section, config, pointer), version=version)


def breaking_from(section: Mapping[str, Any], config: _Config, pointer: str = "/breaking") -> Breaking:
    from apidiff.formats.protobuf.profiles import unknown_id

    unknown = sorted(str(k) for k in set(section) - _BREAKING_KEYS)
    if unknown:
        near = difflib.get_close_matches(unknown[0], sorted(_BREAKING_KEYS), n=1, cutoff=0.8)
        raise config.error(f"unknown key breaking.{unknown[0]}" + (f" (did you mean {near[0]}?)" if near else ""),
                           f"{pointer}/{unknown[0]}")

    def strings(key: str) -> tuple[str, ...]:
        value = section.get(key) or []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise config.error(f"breaking.{key} must be a list of strings", f"{pointer}/{key}")
        for i, x in enumerate(value):
            problem = unknown_id(x) if key in ("use", "except") else None
            if problem is not None:
                raise config.error(problem, f"{pointer}/{key}/{i}")
        return tuple(value)

    use, except_ = strings("use") or ("FILE",), strings("except")
    only = section.get("ignore_only") or {}
    if not isinstance(only, dict):
        raise config.error("breaking.ignore_only must map rule ids to paths", f"{pointer}/ignore_only")
    ignore_only: dict[str, tuple[str, ...]] = {}
    for key, paths in only.items():
        where = f"{pointer}/ignore_only/{key}"
        problem = unknown_id(str(key))
        if problem is not None:
            raise config.error(problem, where)
        if paths is not None and (not isinstance(paths, list) or not all(isinstance(x, str) for x in paths)):
            raise config.error(f"breaking.ignore_only.{key} must be a list of paths", where)
        ignore_only[str(key)] = tuple(paths or ())
    return Breaking(use=use, except_=except_, ignore=strings("ignore"), ignore_only=ignore_only,
                    ignore_unstable_packages=section.get("ignore_unstable_packages") is True)

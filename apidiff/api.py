"""The library's verbs: ``load`` and ``compare`` (sources → formats → the core's engine → Report).

Detection asks the registered formats (:mod:`apidiff.formats`); a loaded document remembers its
format (``Api.kind``), whose pairs and rules the engine runs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
from collections.abc import Iterable
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from apidiff import formats
from apidiff.core.change import Change, Mode, RuleLike
from apidiff.core.config import Config
from apidiff.core.engine import diff
from apidiff.core.errors import ApidiffError, FormatNotDetected, GitError, LimitExceeded, SourceError
from apidiff.core.format import Format, LoadOptions
from apidiff.core.git import GitPath
from apidiff.core.git import parse as parse_git
from apidiff.core.location import Location
from apidiff.core.model import Api
from apidiff.core.result import Report, SourceInfo
from apidiff.core.rule import Policy
from apidiff.core.sources import LOCAL, Files, Text, folder_files, looks_like_path, read_text
from apidiff.usage import UsageSet

if TYPE_CHECKING:
    from apidiff.core.guide import Guide
    from apidiff.core.plan import Plan, PlanItem

__all__ = ["apply_expand", "build_guide", "build_plan", "changelog", "compare", "guide", "load", "load_config", "plan"]

PARALLEL_BYTES = 256 * 1024  # below this, a second process costs more than it saves

SourceLike = str | Path | GitPath | Api


def compare(old: SourceLike, new: SourceLike, *, mode: Mode | str | None = None, today: date | None = None,
            min_deprecation_days: int | None = None, rules: Iterable[RuleLike] | None = None,
            allow_remote_refs: bool = False, config: Config | None = None,
            usage: UsageSet | None = None, profile: str | None = None) -> Report:
    """Compare two schemas and classify every change.

    ``old`` and ``new`` are paths (files or folders), schema text, or schemas from :func:`load`.
    ``mode`` picks what :attr:`Change.severity` means: ``backward`` (old clients against the new
    API), ``forward`` (new clients against the old API: a rollback) or ``full`` (the worse).
    ``today`` fixes the date that deprecation sunsets are judged against. ``$ref`` to the
    network is refused unless ``allow_remote_refs``. ``config`` (see :mod:`apidiff.core.config`)
    supplies the defaults of ``mode`` and ``min_deprecation_days``, severity overrides, the
    stability policy and ignores; explicit arguments win over it. ``usage`` (from
    :func:`apidiff.usage.load_usage`: client operations or HTTP traffic) adds the report's
    ``impact``: which consumers' operations each change touches. ``profile`` chooses what fails where a
    format has profiles (Protobuf: buf's categories ``FILE``, ``PACKAGE``, ``WIRE_JSON``, ``WIRE``, or
    comma-separated buf rule ids); by default the input's own configuration (``buf.yaml``) or the format's.
    """
    config = config or Config()
    mode = Mode(mode) if mode is not None else config.mode
    days = min_deprecation_days if min_deprecation_days is not None else config.min_deprecation_days
    old_api, new_api = _load_pair(old, new, allow_remote_refs, config.sunset_extension)
    if old_api.kind != new_api.kind:
        old_fmt, new_fmt = formats.get(old_api.kind), formats.get(new_api.kind)
        raise ApidiffError(f"cannot compare {old_fmt.document_noun} ({old_api.source}) with "
                           f"{new_fmt.document_noun} ({new_api.source})")
    fmt = formats.get(old_api.kind)
    today = today or date.today()
    policy = Policy(today=today, min_deprecation_days=days, stability_caps=config.stability)
    catalogue: Iterable[RuleLike] = config.rules(fmt.rules() if rules is None else rules)
    try:
        changes = diff(fmt.pairs(old_api, new_api), catalogue, context=policy, mode=mode,
                       renameable=fmt.renameable, rename_key=fmt.rename_key)
    except RecursionError:  # loaders bound nesting; this guards schemas built by hand
        raise LimitExceeded("the schemas nest too deeply to compare", file=new_api.source) from None
    changes = fmt.adjust(changes, old_api, new_api, mode=mode, profile=profile)
    changes = _locate(changes, old_api, new_api)
    report = Report(
        mode=mode,
        old=SourceInfo(old_api.source, old_api.kind, old_api.version),
        new=SourceInfo(new_api.source, new_api.kind, new_api.version),
        changes=tuple(changes),
        warnings=tuple(f"old: {w}" for w in old_api.warnings) + tuple(f"new: {w}" for w in new_api.warnings),
    )
    report = config.apply_ignores(report, today) if config.ignores else report
    if usage is not None:
        from dataclasses import replace

        report = replace(report, impact=usage.assess(report.changes, old_api, new_api))
    return report


def load(source: SourceLike, *, format: str | None = None, allow_remote_refs: bool = False,
         sunset_extension: str = "x-sunset") -> Api:
    """Load a schema from a path (file or folder), from its text, or pass a loaded :class:`Api` through.

    ``git:REF:path`` (and ``REF:path`` when no such file exists) reads the document, and the
    files it refers to, from a git revision (:mod:`apidiff.core.git`). ``format`` forces a format (a
    name or label of :mod:`apidiff.formats`); by default the format is detected from the content.
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
            claimed = next((f for f in formats.formats() if f.claims_path(path)), None) if kind else None
            if claimed is not None and (format is None or format in (claimed.name, *claimed.labels)):
                return claimed.load_path(path, str(path), LoadOptions(allow_remote_refs=allow_remote_refs,
                                                                      sunset_extension=sunset_extension))
        except OSError as exc:  # a name too long, or not valid on this system
            if isinstance(source, str) and _looks_like_schema_text(source):
                return _load_texts([Text("<text>", source)], "<text>", format, None, allow_remote_refs,
                                   sunset_extension)
            raise SourceError(f"cannot be read as a file: {exc.strerror or exc}", file=str(path)) from None
        if kind == "folder":
            files = folder_files(path, _folder_suffixes())
            if not files:
                raise SourceError(f"folder holds no {_suffix_list()} file", file=str(path))
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
    from apidiff.core.git import open_revision

    files, path = open_revision(spec)
    kind = files.kind(path)
    name = str(spec)
    if kind is None:
        where = "the index" if spec.rev == "" else f"revision {spec.rev}"
        raise GitError(f"{str(path).lstrip('/') or '.'} is not in {where}", file=name)
    if kind == "folder":
        found = files.folder_files(path, _folder_suffixes())
        if not found:
            raise SourceError(f"folder holds no {_suffix_list()} file", file=name)
        return _load_texts(files.read_many(found), name, format, None, allow_remote, sunset_extension)
    return _load_texts([files.read(path, display=name)], name, format, path, allow_remote, sunset_extension,
                       files)


def load_config(path: Path | None = None, *, search: bool = True) -> Config:
    """Read ``path``, or the configuration found from the working directory upwards, or the defaults
    (``[tool.apidiff]`` in pyproject.toml or ``.apidiff.toml``); rule ids are checked against every
    registered format's rules."""
    from apidiff.core.config import load_config as _load

    return _load(path, search=search, rule_ids={r.id for r in formats.all_rules()})


def _folder_suffixes() -> tuple[str, ...]:
    return tuple(s for fmt in formats.formats() for s in fmt.folder_suffixes)


def _suffix_list() -> str:
    suffixes = _folder_suffixes()
    return ", ".join(suffixes[:-1]) + " or " + suffixes[-1] if len(suffixes) > 1 else "".join(suffixes)


def _folder_format(name: str) -> Format:
    for fmt in formats.formats():
        if name.endswith(fmt.folder_suffixes):
            return fmt
    raise FormatNotDetected("unknown folder file", file=name)  # folder_files only lists registered suffixes


def _looks_like_schema_text(text: str) -> bool:
    words = text.split()
    return bool(words) and any(words[0] in fmt.text_starts for fmt in formats.formats())


def _load_texts(texts: list[Text], source: str, format: str | None, path: PurePath | None = None,
                allow_remote: bool = False, sunset_extension: str = "x-sunset", files: Files = LOCAL) -> Api:
    options = LoadOptions(allow_remote_refs=allow_remote, sunset_extension=sunset_extension)
    if format is not None:
        try:
            chosen = formats.get(format)
        except KeyError:
            raise FormatNotDetected(f"unknown format {format!r}", file=texts[0].name) from None
    if len(texts) > 1:  # a folder: every file in the folder format's own syntax
        fmt = _folder_format(texts[0].name)
        label = fmt.labels[0]
        if any((format or formats.detect(t.text, file=t.name)[1]) != label for t in texts):
            raise FormatNotDetected(f"a folder must hold {fmt.folder_noun} files only", file=source)
        return fmt.load(texts, source, label, path=path, files=files, options=options)
    if format is not None:
        return chosen.load(texts, source, format, path=path, files=files, options=options)
    fmt, label = formats.detect(texts[0].text, file=texts[0].name)
    return fmt.load(texts, source, label, path=path, files=files, options=options)


def _parallel(source: Any) -> bool:
    """Whether a source is of a format loaded in parallel (``Format.parallel``), without reading files."""
    if isinstance(source, Api | GitPath) or source_is_git(source):  # git sources: read through git, not forked
        return False
    if isinstance(source, str) and ("\n" in source or len(source) > 4096):
        return formats.detect(source)[0].parallel
    try:
        path = Path(source)
        if path.is_dir():
            return any(fmt.parallel and fmt.folder_suffixes for fmt in formats.formats())
        return any(fmt.parallel and path.suffix in fmt.folder_suffixes for fmt in formats.formats())
    except (OSError, ValueError, ApidiffError):
        return False


def _size(source: Any) -> int:
    if isinstance(source, Api | GitPath) or source_is_git(source):
        return 0
    if isinstance(source, str) and ("\n" in source or len(source) > 4096):
        return len(source)
    try:
        path = Path(source)
        if path.is_dir():
            return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        return path.stat().st_size
    except (OSError, ValueError):
        return 0


def _same_file(old: SourceLike, new: SourceLike) -> bool:
    if not isinstance(old, str | PurePath) or not isinstance(new, str | PurePath) or source_is_git(old):
        return False
    if isinstance(old, str) and ("\n" in old or len(old) > 4096):
        return old == new
    try:
        return Path(old).exists() and Path(old).resolve() == Path(new).resolve()
    except (OSError, ValueError):
        return False


def _load_pair(old: SourceLike, new: SourceLike, allow_remote: bool = False,
               sunset_extension: str = "x-sunset") -> tuple[Api, Api]:
    """Load both sides; two large documents of a format that says so (``Format.parallel``) are
    parsed in parallel (fork only: no re-import).

    Worth it only where parsing dominates and the model pickles fast (GitHub's GraphQL pair: 0.88 s
    instead of 1.23 s); an HTTP graph costs more to send back than to build (REST pair: 3.6 s
    forked, 3.0 s in one process; see bench/openapi_speed.py --no-fork)."""
    options: dict[str, Any] = {"allow_remote_refs": allow_remote, "sunset_extension": sunset_extension}
    if _same_file(old, new):  # a document against itself: one load (models are never changed once built)
        api = load(old, **options)
        return api, api
    if (_parallel(old) and _parallel(new) and min(_size(old), _size(new)) >= PARALLEL_BYTES and os.cpu_count() != 1
            and "fork" in multiprocessing.get_all_start_methods() and not os.environ.get("APIDIFF_NO_FORK")):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: load the new side and send it back pickled
            os.close(reader)
            try:
                payload = pickle.dumps((True, load(new, **options)), protocol=pickle.HIGHEST_PROTOCOL)
            except ApidiffError as exc:
                payload = pickle.dumps((False, exc))
            except BaseException as exc:
                payload = pickle.dumps((False, RuntimeError(str(exc))))
            with os.fdopen(writer, "wb") as out:
                out.write(payload)
            os._exit(0)
        os.close(writer)
        try:
            old_api = load(old, **options)
        except BaseException:  # an error or an interrupt here: the child's answer is not wanted, nor waited for
            os.close(reader)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        with os.fdopen(reader, "rb") as inp:
            data = inp.read()
        os.waitpid(pid, 0)
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return old_api, value
    return load(old, **options), load(new, **options)


def _locate(changes: list[Change], old: Api, new: Api) -> list[Change]:
    """Give line numbers to pointer-only locations (JSON inputs), only for reported changes."""
    if old.locate is None and new.locate is None:
        return changes
    for api, attr in ((old, "old_location"), (new, "new_location")):
        resolve = getattr(api.locate, "resolve", None)
        if resolve is not None:
            resolve([getattr(c, attr) for c in changes if getattr(c, attr) is not None])
    out = []
    for c in changes:
        o = _fix(old, c.old_location)
        n = _fix(new, c.new_location)
        if o is not c.old_location or n is not c.new_location:
            from dataclasses import replace

            c = replace(c, old_location=o, new_location=n)
        out.append(c)
    return out


def _fix(api: Api, loc: Location | None) -> Location | None:
    if loc is None or loc.line or api.locate is None:
        return loc
    return api.locate(loc)


# -- the verbs that explain and plan: load, compare, build the format-neutral data, render ------------

def changelog(old: Any, new: Any, *, old_version: str | None = None, new_version: str | None = None,
              today: date | None = None, **compare_options: Any) -> str:
    """Load both sides, compare them and render the changelog (Keep a Changelog, Markdown); versions
    default to the documents' own (``info.version``)."""
    from apidiff.report.changelog import render

    old_api, new_api = load(old), load(new)
    report = compare(old_api, new_api, today=today, **compare_options)
    return render(report, old_version=old_version or old_api.api_version,
                  new_version=new_version or new_api.api_version, today=today,
                  group_of=formats.get(old_api.kind).changelog_group)


def build_plan(report: Report, old_api: Api, new_api: Api, *, today: date, since: date | None = None,
               sunset_days: int | None = None, docs_url: str | None = None, sunset_extension: str = "x-sunset",
               min_deprecation_days: int = 0) -> Plan:
    """The deprecation plan for ``report`` (a comparison of ``old_api`` with ``new_api``), designed
    by the format's planner (see :func:`apidiff.core.plan.design_plan`)."""
    from apidiff.core.plan import DEFAULT_SUNSET_DAYS, design_plan

    days = DEFAULT_SUNSET_DAYS if sunset_days is None else sunset_days
    options = LoadOptions(sunset_extension=sunset_extension)
    planner = formats.get(old_api.kind).planner(old_api, new_api, report, options)
    return design_plan(report, old_api, new_api, planner, today=today, since=since, sunset_days=days,
                       docs_url=docs_url, min_deprecation_days=min_deprecation_days)


def plan(old: Any, new: Any, *, format: str = "markdown", today: date | None = None, since: date | None = None,
         sunset_days: int | None = None, docs_url: str | None = None, **compare_options: Any) -> str:
    """Load both sides, compare them and render the deprecation plan (``markdown`` or ``json``).

    ``compare_options`` go to :func:`compare` (``mode``, ``config`` …)."""
    from apidiff.report.plan import render_json, render_markdown

    if format not in ("markdown", "json"):
        raise ValueError(f"unknown plan format {format!r}; expected markdown or json")
    config = compare_options.get("config")
    sunset_key = getattr(config, "sunset_extension", "x-sunset")
    given = compare_options.get("min_deprecation_days")
    min_days = int(given if given is not None else getattr(config, "min_deprecation_days", 0))
    old_api, new_api = load(old, sunset_extension=sunset_key), load(new, sunset_extension=sunset_key)
    today = today or date.today()
    report = compare(old_api, new_api, today=today, **compare_options)
    result = build_plan(report, old_api, new_api, today=today, since=since, sunset_days=sunset_days,
                        docs_url=docs_url, sunset_extension=sunset_key, min_deprecation_days=min_days)
    return render_json(result) if format == "json" else render_markdown(result)


def apply_expand(old_text: str, item: PlanItem, *, file: str | None = None) -> str:
    """The old document's text with a plan item's expand edits applied (those for ``file`` only,
    when given), by the item's format: ``apidiff diff OLD EXPANDED`` then reports no breaking change."""
    edits = [e for e in item.edits if file is None or e.file == file]
    return formats.get(item.kind).apply_expand(old_text, edits)


def build_guide(report: Report, old_api: Api, new_api: Api, consumer: str | None = None) -> Guide:
    """The migration guide for the breaking and dangerous changes of ``report``, by the places
    (operations, root fields) the format finds for them (see :func:`apidiff.core.guide.assemble_guide`)."""
    from apidiff.core.guide import assemble_guide

    places = formats.get(old_api.kind).guide(old_api, new_api, report.mode)
    return assemble_guide(report, old_api, new_api, places, consumer)


def guide(old: Any, new: Any, *, format: str = "markdown", today: date | None = None, consumer: str | None = None,
          **compare_kwargs: Any) -> str:
    """Load both sides, compare them and render the migration guide as ``markdown`` or ``html``.

    ``compare_kwargs`` go to :func:`compare` (``mode``, ``config``, ``allow_remote_refs``,
    ``usage`` …); with ``usage``, ``consumer`` narrows the guide to that consumer's part.
    """
    from apidiff.report.guide import render_html, render_markdown

    if format not in ("markdown", "md", "html"):
        raise ValueError(f"unknown guide format {format!r}; expected markdown or html")
    options: dict[str, Any] = {"allow_remote_refs": bool(compare_kwargs.get("allow_remote_refs", False))}
    config = compare_kwargs.get("config")
    if config is not None:
        options["sunset_extension"] = config.sunset_extension
    old_api, new_api = load(old, **options), load(new, **options)
    report = compare(old_api, new_api, today=today, **compare_kwargs)
    if consumer is not None and report.impact is None:
        from apidiff.core.errors import UsageError

        raise UsageError("a guide for one consumer needs its usage: add --usage")
    built = build_guide(report, old_api, new_api, consumer)
    return render_html(built) if format == "html" else render_markdown(built)

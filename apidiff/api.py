"""The library's verbs: ``load`` and ``compare`` (sources → loaders → diff engine → Report)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from apidiff.config import Config
from apidiff.diff.change import Change, Mode, RuleLike
from apidiff.diff.engine import diff
from apidiff.diff.result import Report, SourceInfo
from apidiff.errors import ApidiffError, LimitExceeded
from apidiff.git import GitPath
from apidiff.loaders import SourceLike, load, source_is_git
from apidiff.model.graph import Api
from apidiff.model.location import Location
from apidiff.sources import GRAPHQL_SUFFIXES
from apidiff.usage import UsageSet

__all__ = ["compare", "load"]

PARALLEL_BYTES = 256 * 1024  # below this, a second process costs more than it saves


def compare(old: SourceLike, new: SourceLike, *, mode: Mode | str | None = None, today: date | None = None,
            min_deprecation_days: int | None = None, rules: Iterable[RuleLike] | None = None,
            allow_remote_refs: bool = False, config: Config | None = None,
            usage: UsageSet | None = None) -> Report:
    """Compare two schemas and classify every change.

    ``old`` and ``new`` are paths (files or folders), schema text, or schemas from :func:`load`.
    ``mode`` picks what :attr:`Change.severity` means: ``backward`` (old clients against the new
    API), ``forward`` (new clients against the old API: a rollback) or ``full`` (the worse).
    ``today`` fixes the date that deprecation sunsets are judged against. ``$ref`` to the
    network is refused unless ``allow_remote_refs``. ``config`` (see :mod:`apidiff.config`)
    supplies the defaults of ``mode`` and ``min_deprecation_days``, severity overrides, the
    stability policy and ignores; explicit arguments win over it. ``usage`` (from
    :func:`apidiff.usage.load_usage`: client operations or HTTP traffic) adds the report's
    ``impact``: which consumers' operations each change touches.
    """
    from apidiff.rules import REGISTRY, Policy

    config = config or Config()
    mode = Mode(mode) if mode is not None else config.mode
    days = min_deprecation_days if min_deprecation_days is not None else config.min_deprecation_days
    old_api, new_api = _load_pair(old, new, allow_remote_refs, config.sunset_extension)
    if old_api.kind != new_api.kind:
        raise ApidiffError(f"cannot compare a {old_api.kind} schema ({old_api.source}) with a {new_api.kind} "
                           f"schema ({new_api.source})")
    today = today or date.today()
    policy = Policy(today=today, min_deprecation_days=days, stability_caps=config.stability)
    catalogue: Iterable[RuleLike] = config.rules(REGISTRY if rules is None else rules)
    try:
        changes = diff(old_api, new_api, catalogue, context=policy, mode=mode)
    except RecursionError:  # loaders bound nesting; this guards schemas built by hand
        raise LimitExceeded("the schemas nest too deeply to compare", file=new_api.source) from None
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


def _sdl(source: SourceLike) -> bool:
    """Whether a source is GraphQL SDL (a .graphql file or a folder), without reading it."""
    if isinstance(source, Api | GitPath) or source_is_git(source):  # git sources: read through git, not forked
        return False
    if isinstance(source, str) and ("\n" in source or len(source) > 4096):
        return not source.lstrip().startswith(("{", "[", "openapi", "swagger", "---"))
    try:
        path = Path(source)
        return path.is_dir() or path.suffix in GRAPHQL_SUFFIXES
    except (OSError, ValueError):
        return False


def _size(source: SourceLike) -> int:
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


def _load_pair(old: SourceLike, new: SourceLike, allow_remote: bool = False,
               sunset_extension: str = "x-sunset") -> tuple[Api, Api]:
    """Load both sides; two large SDL documents are parsed in parallel (fork only: no re-import).

    Only SDL: its parse dominates and the result pickles fast (GitHub's schema pair: 0.88 s
    instead of 1.23 s). An OpenAPI graph costs more to send back than to build (REST pair:
    3.6 s forked, 3.0 s in one process; see bench/openapi_speed.py --no-fork)."""
    options: dict[str, Any] = {"allow_remote_refs": allow_remote, "sunset_extension": sunset_extension}
    if (_sdl(old) and _sdl(new) and min(_size(old), _size(new)) >= PARALLEL_BYTES and os.cpu_count() != 1
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
                payload = pickle.dumps((False, RuntimeError(repr(exc))))
            with os.fdopen(writer, "wb") as out:
                out.write(payload)
            os._exit(0)
        os.close(writer)
        try:
            old_api = load(old, **options)
        finally:
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

"""The ``apidiff`` command: parse arguments, compare, render, exit.

Exit codes: 0 when no change reaches ``--fail-on``, 1 when one does, 2 for bad usage or bad
input (a one-line error naming file, line and problem; never a traceback).
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn

import click

from apidiff.core.errors import ApidiffError
from apidiff.core.result import FAIL_ON

# the same as apidiff.report.FORMATS (a test checks), without importing the renderers
FORMATS = ("text", "markdown", "json", "html", "sarif", "junit", "github")
MODES = ("backward", "forward", "full")


def _fail(message: str) -> NoReturn:
    click.echo(f"apidiff: error: {message}", err=True)
    sys.exit(2)


@dataclass(frozen=True, slots=True)
class DiffOptions:
    old: str | None
    new: str | None
    format: str
    mode: str | None
    fail_on: str | None
    today: date | None
    output: str | None
    color: bool | None
    allow_remote_refs: bool = False
    min_deprecation_days: int | None = None
    validate: bool = False
    config: str | None = None
    no_config: bool = False
    base: str | None = None  # --base REF: compare each of ``paths`` against this revision
    paths: tuple[str, ...] = ()
    staged: bool = False  # the new side of each path is its staged (index) version
    usage: tuple[str, ...] = ()  # --usage: client operations or traffic
    usage_only: bool = False
    consumer_key: str | None = None
    consumer_version: bool = False  # --consumer-version: pet-web/1.4 and pet-web/1.5 apart
    profile: str | None = None  # --profile: which of buf's rules fail (Protobuf)


# The command is a short-lived process that builds large trees (a 10 MB schema is millions of nodes) and
# leaves few cycles: collecting every 700 allocations spent a fifth of a large comparison walking young
# trees that were all alive. Whole command, median of 3: GitHub's GraphQL 14.58.0 → 15.20.0 1.29 s → 1.01 s,
# its REST 22.0.0 → 23.0.2 5.03 s → 3.90 s, peak memory the same; a fuzzed 2.5 MB SDL of 10,000 types
# loads in 4.7 s instead of 8.0 s. The library (compare()) leaves the collector as the caller set it.
GC_THRESHOLD = (100_000, 20, 20)
_FROZEN = False


class _Group(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:  # usage errors exit 2, as click does; errors exit 2 too
        threshold = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)
        global _FROZEN
        if not _FROZEN:  # once: what is imported by now lives as long as the process, no collection walks it
            gc.freeze()  # again (freezing on every call would keep each in-process run's garbage for good)
            _FROZEN = True
        try:
            return super().main(*args, **kwargs)
        except ApidiffError as exc:
            _fail(str(exc))
        except RecursionError:
            _fail("the input nests too deeply to compare")
        except Exception as exc:  # a bug: still one line and exit 2 (never read as "breaking changes found")
            import os

            if os.environ.get("APIDIFF_DEBUG"):
                raise
            detail = " ".join(str(exc).split())[:300]
            _fail("internal error (please report it at https://github.com/apidiff/apidiff/issues with the inputs; "
                  f"APIDIFF_DEBUG=1 shows where){': ' + detail if detail else ''}")
        finally:
            gc.set_threshold(*threshold)  # a caller that runs the command in-process keeps its own settings


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="apidiff")
def main() -> None:
    """Find the breaking, dangerous and safe changes between two API schemas."""


F = Any  # a click command function


def _output_and_source_options(command: F) -> F:
    """--output, --config, --no-config and --allow-remote-refs, as guide, plan and impact take them."""
    for option in reversed((
        click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                     help="Write to this file instead of standard output."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                     help="Read settings from this file."),
        click.option("--no-config", is_flag=True, help="Ignore configuration files."),
        click.option("--allow-remote-refs", is_flag=True, help="Let $ref fetch http(s) URLs."),
    )):
        command = option(command)
    return command


def _usage_options(command: F) -> F:
    command = click.option("--usage-only", is_flag=True,
                           help="With --usage: --fail-on counts only changes that a known consumer uses.")(command)
    return _usage_inputs(command)


def _usage_inputs(command: F) -> F:
    """--usage and --consumer-key (``apidiff impact`` counts only used changes anyway: no --usage-only)."""
    command = click.option("--consumer-version", is_flag=True,
                           help="Keep the versions of a User-Agent's product apart (pet-web/1.4, pet-web/1.5); "
                                "configuration: consumer_version = true.")(command)
    command = click.option("--consumer-key", default=None, metavar="NAME",
                           help="Name consumers in traffic by this header (HAR, JSON lines) or field (JSON lines), "
                                "for example an API-key id header, instead of the User-Agent.")(command)
    return click.option("--usage", multiple=True, metavar="PATTERN",
                        help="Client usage to check the changes against (repeatable; paths, folders or globs): "
                             "GraphQL operations (.graphql, persisted-query JSON, operation manifests), HAR files, "
                             "access logs, JSON lines.")(command)


@main.command()
@click.argument("sources", nargs=-1, metavar="OLD NEW | --base REF PATH...")
@click.option("--base", default=None, metavar="REF",
              help="Compare each PATH (working tree) with its version at git revision REF.")
@click.option("--staged", is_flag=True, help="With --base: compare the staged (index) version of each PATH.")
@click.option("--format", "-f", "format_", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="backward: old clients vs the new API; forward: new clients vs the old API (rollback); "
                   "full: the worse of both.  [default: backward, or the configuration's]")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit with 1 when a change is at least this severe.  [default: breaking, or the configuration's]")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date deprecation sunsets are judged against (default: today).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when on a terminal).")
@click.option("--allow-remote-refs", is_flag=True,
              help="Let $ref fetch http(s) URLs (off by default: documents may be untrusted).")
@click.option("--min-deprecation-days", type=click.IntRange(min=0), default=None,
              help="Minimum days between deprecating an element and removing it; earlier removals, and "
                   "sunsets announced sooner, are reported.  [default: 0, or the configuration's]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Read settings from this file (default: .apidiff.toml or [tool.apidiff] in pyproject.toml, "
                   "found from the working directory upwards).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--validate", is_flag=True,
              help="Check OpenAPI documents against the specification first (openapi-spec-validator); "
                   "problems are listed with file and line, and the exit code is 2.")
@click.option("--profile", default=None, metavar="CATEGORY|RULES",
              help="Protobuf: which of buf's breaking rules fail: FILE, PACKAGE, WIRE_JSON, WIRE, CSR, or buf rule "
                   "ids, comma-separated.  [default: the new side's buf.yaml, else FILE]")
@_usage_options
def diff(sources: tuple[str, ...], base: str | None, staged: bool, format_: str, mode: str | None,
         fail_on: str | None, today: Any, output: str | None, color: bool | None, allow_remote_refs: bool,
         min_deprecation_days: int | None, config_path: str | None, no_config: bool, validate: bool,
         profile: str | None, usage: tuple[str, ...], usage_only: bool, consumer_key: str | None,
         consumer_version: bool) -> None:
    """Compare OLD and NEW (OpenAPI, GraphQL or Protobuf files, folders or images) and report every change.

    Either side may be read from git: REF:path (git's syntax: path from the repository's top, or
    ./path from here), git:REF:path, or --base REF PATH... to compare each PATH with its version
    at REF (--staged: its staged version; for pre-commit)."""
    old: str | None
    new: str | None
    paths: tuple[str, ...]
    if usage_only and not usage:
        raise click.UsageError("--usage-only needs --usage PATTERN")
    if base is None:
        if staged:
            raise click.UsageError("--staged needs --base REF")
        if len(sources) != 2:
            raise click.UsageError(f"expected OLD and NEW, got {len(sources)} argument(s) (or use --base REF PATH...)")
        old, new, paths = sources[0], sources[1], ()
    else:
        if not sources:
            raise click.UsageError("--base REF needs at least one PATH to compare")
        old = new = None
        paths = sources
    opts = DiffOptions(old=old, new=new, format=format_, mode=mode, fail_on=fail_on,
                       today=today.date() if today else None, output=output, color=color,
                       allow_remote_refs=allow_remote_refs, min_deprecation_days=min_deprecation_days,
                       validate=validate, config=config_path, no_config=no_config, base=base, paths=paths,
                       staged=staged, usage=usage, usage_only=usage_only, consumer_key=consumer_key,
                       consumer_version=consumer_version, profile=profile)
    run_diff(opts)


def _validate(report: Any, sources: tuple[Any, Any]) -> None:
    from pathlib import Path

    from apidiff.formats import get

    problems = []
    for info, source in zip((report.old, report.new), sources, strict=True):
        if isinstance(source, str) and Path(source).is_file():
            problems += get(info.kind).validate(Path(source))
    if problems:
        for problem in problems:
            click.echo(f"apidiff: invalid: {problem}", err=True)
        _fail(f"{len(problems)} specification problem(s); fix them or drop --validate")


def run_diff(opts: DiffOptions) -> NoReturn:
    from pathlib import Path

    from apidiff.api import compare, load_config
    from apidiff.report import render_many

    config = load_config(Path(opts.config) if opts.config else None, search=not opts.no_config)
    usage = _load_usage(opts.usage, opts.consumer_key, opts.consumer_version or config.consumer_version)
    reports = []
    for old, new in _pairs(opts):
        report = compare(old, new, mode=opts.mode, today=opts.today, allow_remote_refs=opts.allow_remote_refs,
                         min_deprecation_days=opts.min_deprecation_days, config=config, usage=usage,
                         profile=opts.profile)
        if opts.validate:
            _validate(report, (old, new))
        reports.append(report)
    fail_on = opts.fail_on or config.fail_on
    color = opts.color if opts.color is not None else (opts.output is None and sys.stdout.isatty())
    if not reports:  # --base with only schemas new since REF
        sys.exit(0)
    text = render_many(reports, opts.format, base=opts.base, color=color, fail_on=fail_on)
    if opts.output:
        try:
            with open(opts.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            _fail(f"{opts.output}: cannot write: {exc.strerror}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if opts.format != "text":
        for report in reports:
            for warning in report.warnings:
                click.echo(f"apidiff: warning: {warning}", err=True)
    sys.exit(1 if any(r.fails(fail_on, usage_only=opts.usage_only) for r in reports) else 0)


def _load_usage(patterns: tuple[str, ...], consumer_key: str | None, consumer_version: bool) -> Any:
    if not patterns:
        return None
    from apidiff.usage import load_usage

    return load_usage(patterns, consumer_key=consumer_key, consumer_version=consumer_version)


def _pairs(opts: DiffOptions) -> list[tuple[Any, Any]]:
    """(old, new) sources to compare: the two arguments, or each --base PATH against REF."""
    if opts.base is None:
        return [(opts.old, opts.new)]
    from apidiff.core.git import INDEX, GitFiles, GitPath, repository_path

    revision = GitFiles(opts.base, display=f"--base {opts.base}")
    pairs: list[tuple[Any, Any]] = []
    for path in opts.paths:
        rel = repository_path(path)
        old = GitPath(opts.base, rel)
        if revision.kind(revision.path_of(old)) is None:
            click.echo(f"apidiff: {path} is not in {opts.base}: a new schema, nothing to compare", err=True)
            continue
        pairs.append((old, GitPath(INDEX, rel) if opts.staged else path))
    return pairs


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            _fail(f"{output}: cannot write: {exc.strerror}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--old-version", default=None, help="The old version's name (default: the document's info.version).")
@click.option("--new-version", default=None, help="The new version's name (default: the document's info.version).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The release date to print, and the date sunsets are judged against (default: today).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
@click.option("--allow-remote-refs", is_flag=True, help="Let $ref fetch http(s) URLs.")
def changelog(old: str, new: str, old_version: str | None, new_version: str | None, today: Any,
              output: str | None, allow_remote_refs: bool) -> None:
    """Write a Keep a Changelog entry (Markdown) for the changes from OLD to NEW."""
    from apidiff.api import changelog as build

    _write(build(old, new, old_version=old_version, new_version=new_version,
                 today=today.date() if today else None, allow_remote_refs=allow_remote_refs), output)


def _config(path: str | None, no_config: bool) -> Any:
    from pathlib import Path

    from apidiff.api import load_config

    return load_config(Path(path) if path else None, search=not no_config)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "-f", "format_", type=click.Choice(("markdown", "json")), default="markdown",
              show_default=True)
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date the plan starts (default: today); fix it for reproducible output.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The deprecation date (default: --today).")
@click.option("--sunset-days", type=click.IntRange(min=1), default=90, show_default=True,
              help="Days from the deprecation date to the sunset.")
@click.option("--docs-url", default=None, help="The page that explains the deprecations (Link headers).")
@_output_and_source_options
def plan(old: str, new: str, format_: str, today: Any, since: Any, sunset_days: int, docs_url: str | None,
         output: str | None, config_path: str | None, no_config: bool, allow_remote_refs: bool) -> None:
    """Plan the zero-downtime path (expand, migrate, contract) for each breaking change from OLD to NEW."""
    from apidiff.api import plan as build

    _write(build(old, new, format=format_, today=today.date() if today else None,
                 since=since.date() if since else None, sunset_days=sunset_days, docs_url=docs_url,
                 config=_config(config_path, no_config), allow_remote_refs=allow_remote_refs), output)


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "-f", "format_", type=click.Choice(("markdown", "html")), default="markdown",
              show_default=True)
@click.option("--mode", type=click.Choice(MODES), default=None, help="Which compatibility to explain.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date sunsets are judged against (default: today).")
@_output_and_source_options
@_usage_inputs
@click.option("--consumer", default=None, metavar="NAME",
              help="With --usage: only this consumer's part (the changes its operations or routes touch).")
def guide(old: str, new: str, format_: str, mode: str | None, today: Any, output: str | None,
          config_path: str | None, no_config: bool, allow_remote_refs: bool, usage: tuple[str, ...],
          consumer_key: str | None, consumer_version: bool, consumer: str | None) -> None:
    """Write the consumer migration guide: what each client must do, by operation, with examples."""
    from apidiff.api import guide as build

    if consumer is not None and not usage:
        raise click.UsageError("--consumer needs --usage PATTERN")
    config = _config(config_path, no_config)
    _write(build(old, new, format=format_, today=today.date() if today else None, mode=mode, consumer=consumer,
                 config=config, allow_remote_refs=allow_remote_refs,
                 usage=_load_usage(usage, consumer_key, consumer_version or config.consumer_version)), output)


@main.command()
@click.argument("old")
@click.argument("new")
@_usage_inputs
@click.option("--consumer", default=None, metavar="NAME", help="Show only this consumer's part.")
@click.option("--format", "-f", "format_", type=click.Choice(("text", "markdown", "json")), default="text",
              show_default=True)
@click.option("--mode", type=click.Choice(MODES), default=None, help="Which compatibility to judge.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit with 1 when a change that a consumer uses is at least this severe.  [default: breaking]")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date sunsets are judged against (default: today).")
@_output_and_source_options
def impact(old: str, new: str, usage: tuple[str, ...], consumer_key: str | None, consumer_version: bool,
           consumer: str | None, format_: str, mode: str | None, fail_on: str | None, today: Any, output: str | None,
           config_path: str | None, no_config: bool, allow_remote_refs: bool) -> None:
    """Which consumers the changes from OLD to NEW break: each consumer's affected operations or routes.

    Exit code 1 when a change that a consumer uses reaches --fail-on (an operation that no longer
    validates counts as breaking)."""
    from apidiff.api import compare
    from apidiff.report.impact import render

    if not usage:
        raise click.UsageError("name client operations or traffic with --usage PATTERN")
    config = _config(config_path, no_config)
    report = compare(old, new, mode=mode, today=today.date() if today else None, config=config,
                     allow_remote_refs=allow_remote_refs,
                     usage=_load_usage(usage, consumer_key, consumer_version or config.consumer_version))
    _write(render(report, format_, consumer=consumer), output)
    sys.exit(1 if report.fails(fail_on or config.fail_on, usage_only=True) else 0)


@main.command()
@click.option("--format", "-f", "format_", type=click.Choice(("text", "json")), default="text", show_default=True)
def rules(format_: str) -> None:
    """List every rule with its id, severities by direction and rationale."""
    import json

    from apidiff.core.direction import Direction
    from apidiff.formats import all_rules

    catalogue = all_rules()
    if format_ == "json":
        click.echo(json.dumps([{
            "id": r.id, "kind": r.kind, "formats": list(r.formats),
            "input": r.severity_for(Direction.INPUT).value, "output": r.severity_for(Direction.OUTPUT).value,
            "summary": r.summary, "docs": f"docs/rules/{r.id}.md",
        } for r in catalogue], indent=2))
        return
    width = max(len(r.id) for r in catalogue)
    click.echo(f"{'id':<{width}}  {'input':<9}  {'output':<9}  summary")
    for r in catalogue:
        click.echo(f"{r.id:<{width}}  {r.severity_for(Direction.INPUT).value:<9}  "
                   f"{r.severity_for(Direction.OUTPUT).value:<9}  {r.summary}")
    click.echo(f"\n{len(catalogue)} rules. Severities that depend on the values (type changes, defaults) "
               "show their usual verdict; see docs/rules/<id>.md.")


if __name__ == "__main__":  # pragma: no cover
    main()

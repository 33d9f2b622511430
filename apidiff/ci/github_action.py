"""The GitHub Action's step: compare each schema of the pull request with its base revision.

``python -m apidiff.ci.github_action`` is what ``action.yml`` runs. It reads the action's inputs
from ``INPUT_SCHEMA``, ``INPUT_BASE``, ``INPUT_FAIL_ON``, ``INPUT_MODE``, ``INPUT_CONFIG``,
``INPUT_COMMENT`` and ``INPUT_TOKEN`` (a composite action passes them in ``env:``) and the
runner's own variables (``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``, ``GITHUB_REPOSITORY``,
``GITHUB_API_URL``, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_WORKSPACE``,
``RUNNER_TEMP``). For each schema it

- compares ``git:BASE:path`` with the working tree (:func:`apidiff.compare`); a schema that is
  not in the base revision is new: noted, not compared;
- appends the Markdown report to the job summary, fitted to what is left of GitHub's 1 MiB per
  step (the summary and every breaking change always in it; safe, then dangerous detail cut first);
- prints one annotation per change (workflow commands); a change that exists only in the base
  revision (a removal) is pointed at the working-tree file, without a line;
- keeps one comment per schema on the pull request, found again by a hidden marker, and updated
  in place; a comment that cannot be posted (a fork's read-only token) is a warning, not a
  failure;
- sets the outputs ``breaking``, ``dangerous``, ``safe`` and ``report-json``.

Exit codes: 0, 1 when a report reaches ``fail-on``, 2 for bad input (one line
``apidiff: error: …`` on standard error and an ``::error::`` command), never a traceback.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from apidiff._version import __version__
from apidiff.api import compare, load_config
from apidiff.core.change import Change
from apidiff.core.config import Config
from apidiff.core.errors import ApidiffError
from apidiff.core.location import Location
from apidiff.core.result import FAIL_ON, Report
from apidiff.report import render
from apidiff.report.github import command
from apidiff.usage import UsageSet, load_usage

# action.yml passes each input as INPUT_<NAME> (upper case, "-" as "_") and maps each output
INPUTS = ("SCHEMA", "BASE", "FAIL_ON", "MODE", "CONFIG", "COMMENT", "USAGE", "TOKEN")
OUTPUTS = ("breaking", "dangerous", "safe", "report-json")
PR_EVENTS = ("pull_request", "pull_request_target")
MODES = ("backward", "forward", "full")
COMMENT_LIMIT = 65_536  # characters: GitHub refuses longer comment bodies
SUMMARY_LIMIT = 1024 * 1024  # bytes: GitHub drops a step summary over 1 MiB
API_TIMEOUT = 30  # seconds per GitHub API request
GIT_TIMEOUT = 300  # seconds per git command (a fetch can be slow)
MAX_PAGES = 50  # of 100 comments each
GLOB_CHARS = frozenset("*?[")
TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0"})


class InputError(Exception):
    """A bad input or environment: exit code 2, one line."""


class ApiError(Exception):
    """A GitHub API request that failed: ``status`` is None for a network error."""

    def __init__(self, status: int | None, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Inputs:
    schemas: tuple[str, ...]  # paths or globs, relative to the workspace
    base: str | None
    fail_on: str | None
    mode: str | None
    config: str | None
    comment: bool
    token: str
    usage: tuple[str, ...] = ()  # client operations or traffic: paths or globs (consumer impact)


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    base_sha: str | None
    base_ref: str | None
    head_repo: str | None
    base_repo: str | None

    @property
    def from_fork(self) -> bool:
        return bool(self.head_repo and self.base_repo and self.head_repo != self.base_repo)


@dataclass(frozen=True, slots=True)
class Base:
    sha: str  # the full commit id
    short: str  # the unique abbreviation that names the base side in reports: "0123456789ab:api/openapi.yaml"
    label: str  # how people see it: "main (0123456789ab)"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One schema: compared (``report``), new (not in the base revision) or failed (``error``)."""

    schema: str  # as given, relative to the workspace
    path: str  # relative to the repository's top folder
    status: str  # "compared", "new" or "error"
    report: Report | None = None
    error: str | None = None


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def fail_line(message: str) -> None:
    """An error: a workflow command on standard output, one line on standard error."""
    message = one_line(message)
    print(command("error", message, title="apidiff"), flush=True)
    print(f"apidiff: error: {message}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(command("warning", one_line(message), title="apidiff"), flush=True)


# --- inputs ---------------------------------------------------------------------------------

def read_inputs(env: Mapping[str, str]) -> Inputs:
    def get(name: str) -> str | None:
        assert name in INPUTS
        value = env.get(f"INPUT_{name}", "").strip()
        return value or None

    schemas = tuple((get("SCHEMA") or "").split())
    if not schemas:
        raise InputError("the schema input is empty: name one or more schema files, folders or globs")
    fail_on = get("FAIL_ON")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise InputError(f"fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    mode = get("MODE")
    if mode is not None and mode not in MODES:
        raise InputError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
    comment_text = (get("COMMENT") or "true").lower()
    if comment_text not in TRUE | FALSE:
        raise InputError(f"comment: {comment_text!r} is not true or false")
    base = get("BASE")
    if base is not None and (base.startswith("-") or any(c.isspace() or c in "\0:" for c in base)):
        raise InputError(f"base: {base!r} is not a git revision")
    return Inputs(schemas=schemas, base=base, fail_on=fail_on, mode=mode, config=get("CONFIG"),
                  comment=comment_text in TRUE, token=get("TOKEN") or "", usage=tuple((get("USAGE") or "").split()))


def read_pull_request(env: Mapping[str, str]) -> PullRequest | None:
    """The pull request of a ``pull_request`` / ``pull_request_target`` event, else None."""
    if env.get("GITHUB_EVENT_NAME", "") not in PR_EVENTS:
        return None
    path = env.get("GITHUB_EVENT_PATH", "")
    if not path:
        raise InputError("GITHUB_EVENT_PATH is not set: the event payload is needed on pull_request events")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the event payload: {exc}") from None
    pr = event.get("pull_request") if isinstance(event, dict) else None
    if not isinstance(pr, dict) or not isinstance(pr.get("number"), int):
        raise InputError(f"{path}: the event payload has no pull_request.number")

    def get(*keys: str) -> str | None:
        value: Any = pr
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, str) and value else None

    return PullRequest(number=pr["number"], base_sha=get("base", "sha"), base_ref=get("base", "ref"),
                       head_repo=get("head", "repo", "full_name"), base_repo=get("base", "repo", "full_name"))


# --- git ------------------------------------------------------------------------------------

def git(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, timeout=GIT_TIMEOUT,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    except FileNotFoundError:
        raise InputError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git {args[0]} took more than {GIT_TIMEOUT} s") from None


def git_reason(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (fatal or lines or [f"exit code {done.returncode}"])[-1].removeprefix("fatal: ").removeprefix("error: ")


def repository_top() -> Path:
    done = git("rev-parse", "--show-toplevel")
    if done.returncode != 0 or not done.stdout.strip():
        raise InputError(f"{Path.cwd()} is not a git working tree ({git_reason(done)}); check the repository out "
                         "first (actions/checkout)")
    return Path(done.stdout.strip()).resolve()


def commit_of(rev: str) -> str | None:
    done = git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def resolve_base(name: str, label: str | None = None) -> Base:
    """The commit ``name`` names; fetched once from origin when the checkout is shallow."""
    sha = commit_of(name)
    if sha is None:
        refspec = f"+refs/heads/{name[7:]}:refs/remotes/{name}" if name.startswith("origin/") else name
        print(f"apidiff: the base revision {name} is not in this checkout (a shallow clone?); fetching it once: "
              f"git fetch --no-tags --depth=1 origin {refspec}", flush=True)
        done = git("fetch", "--no-tags", "--depth=1", "origin", refspec)
        sha = commit_of(name)
        if sha is None and done.returncode == 0 and not name.startswith("origin/"):
            sha = commit_of("FETCH_HEAD")
        if sha is None:
            reason = git_reason(done) if done.returncode != 0 else "fetched, but still not found"
            raise InputError(f"the base revision {name} is not in this checkout and could not be fetched from origin "
                             f"({reason}); check out the history with actions/checkout and fetch-depth: 0")
    done = git("rev-parse", "--short=12", sha)
    short = done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else sha
    shown = label or name
    return Base(sha=sha, short=short, label=short if shown == sha else f"{shown} ({short})")


def in_revision(sha: str, path: str) -> bool:
    return git("cat-file", "-e", f"{sha}:{path}").returncode == 0


# --- schemas --------------------------------------------------------------------------------

def expand(patterns: Sequence[str], top: Path) -> list[tuple[str, str]]:
    """(path as given, path in the repository) for every file or folder the patterns match."""
    found: dict[str, str] = {}
    for pattern in patterns:
        if GLOB_CHARS & set(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
        else:
            matches = [pattern] if os.path.exists(pattern) else []
        if not matches:
            raise InputError(f"schema: {pattern!r} matches no file or folder in {Path.cwd()}")
        for match in matches:
            shown = Path(os.path.normpath(match)).as_posix()
            try:
                rel = Path(match).resolve().relative_to(top).as_posix()
            except ValueError:
                raise InputError(f"schema: {shown} is outside the git repository at {top}") from None
            found.setdefault(shown, rel)
    return list(found.items())


def compare_one(schema: str, rel: str, base: Base, config: Config, mode: str | None,
                usage: UsageSet | None = None) -> Outcome:
    if not in_revision(base.sha, rel):
        return Outcome(schema, rel, "new")
    try:
        report = compare(f"git:{base.short}:{rel}", schema, mode=mode, config=config, usage=usage)
    except ApidiffError as exc:
        return Outcome(schema, rel, "error", error=str(exc))
    return Outcome(schema, rel, "compared", report=report)


# --- annotations ----------------------------------------------------------------------------

def for_annotations(outcome: Outcome, base: Base, top: Path) -> Report:
    """The report with locations GitHub can show: repository-relative working-tree files.

    A change known only in the base revision (``SHA:path``, a removal) points at the working-tree
    file of the same name, or else at the schema's root file, without a line."""
    assert outcome.report is not None
    prefix = f"{base.short}:"

    def working(file: str) -> str:
        if file.startswith("<") and file.endswith(">"):
            return file
        path = Path(file)
        try:
            return (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(top).as_posix()
        except (ValueError, OSError):
            return file

    def moved(rel: str) -> str:
        if (top / rel).is_file():
            return rel
        return outcome.path if (top / outcome.path).is_file() else ""  # a folder cannot be annotated

    changes: list[Change] = []
    for change in outcome.report.changes:
        new, old = change.new_location, change.old_location
        if new is not None:
            change = replace(change, new_location=replace(new, file=working(new.file)))
        elif old is not None and old.file.startswith(prefix):
            change = replace(change, old_location=Location(file=moved(old.file[len(prefix):])))
        changes.append(change)
    return replace(outcome.report, changes=tuple(changes))


# --- summary and outputs --------------------------------------------------------------------

def summary_markdown(outcomes: Sequence[Outcome], base: Base, fail_on: str, room: int = SUMMARY_LIMIT) -> str:
    """The job summary: each report's Markdown in its share of ``room`` bytes (the summary and every
    breaking change always in it; safe, then dangerous detail cut first, with counts)."""
    parts = []
    reports = sum(o.report is not None for o in outcomes)
    share = max(4096, (room - 2048 * len(outcomes)) // max(1, reports))
    for o in outcomes:
        if o.report is not None:
            parts.append(render(o.report, "markdown", fail_on=fail_on, limit=share, size=_utf8_size))
        elif o.status == "new":
            parts.append(f"## apidiff: `{o.schema}` is new\n\n`{o.path}` is not in the base revision "
                         f"`{base.label}`: there is nothing to compare it with.\n")
        else:
            parts.append(f"## apidiff: `{o.schema}` could not be compared\n\n```text\n{o.error}\n```\n")
    return "\n".join(parts)


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def summary_room(path: str) -> int:
    """What is left of GitHub's 1 MiB for this step's summary."""
    try:
        return max(0, SUMMARY_LIMIT - os.path.getsize(path))
    except OSError:
        return SUMMARY_LIMIT


def append_summary(path: str, text: str) -> None:
    """Append to the step summary, cut to what is left of GitHub's 1 MiB (with a note)."""
    note = ("\n\n_The summary is cut to GitHub's 1 MiB limit for a step; the `report-json` output "
            "holds every change._\n")
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    data = text.encode("utf-8")
    room = SUMMARY_LIMIT - used
    if len(data) > room:
        keep = max(0, room - len(note.encode("utf-8")) - 16)
        cut = data[:keep].decode("utf-8", "ignore")
        text = (cut[:cut.rfind("\n") + 1] if "\n" in cut else cut) + note if keep else ""
    if not text:
        warn("the job summary is full (1 MiB): the report was not added to it")
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text if text.endswith("\n") else text + "\n")


def write_outputs(path: str, values: Mapping[str, str]) -> None:
    """``name=value``, or ``name<<DELIMITER`` for values that are not a plain word."""
    with open(path, "a", encoding="utf-8") as fh:
        for name, value in values.items():
            if re.fullmatch(r"[\w.-]*", value):
                fh.write(f"{name}={value}\n")
            else:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                fh.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def write_report_json(outcomes: Sequence[Outcome], base: Base, env: Mapping[str, str]) -> str:
    folder = env.get("RUNNER_TEMP", "")
    if not folder or not os.path.isdir(folder):
        folder = tempfile.gettempdir()
    items = []
    for o in outcomes:
        item: dict[str, Any] = {"schema": o.schema, "base": base.sha, "status": o.status,
                                "report": o.report.to_dict() if o.report is not None else None}
        if o.error is not None:
            item["error"] = o.error
        items.append(item)
    fd, name = tempfile.mkstemp(prefix="apidiff-report-", suffix=".json", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(items, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return name


# --- pull-request comments ------------------------------------------------------------------

def marker(schema: str) -> str:
    return f"<!-- apidiff:schema={schema.replace('--', '-&#45;')} -->"


class GitHub:
    """The few REST calls the comments need, with urllib."""

    def __init__(self, api_url: str, token: str, repository: str) -> None:
        self.api = api_url.rstrip("/")
        self.token = token
        self.repository = repository

    def request(self, method: str, url: str, body: Mapping[str, Any] | None = None) -> tuple[Any, str]:
        """(decoded JSON, Link header)."""
        if not url.startswith(("http://", "https://")):
            url = self.api + url
        data = json.dumps(body).encode("utf-8") if body is not None else None
        headers = {"Accept": "application/vnd.github+json", "Authorization": f"Bearer {self.token}",
                   "X-GitHub-Api-Version": "2022-11-28", "User-Agent": f"apidiff/{__version__}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=API_TIMEOUT) as response:
                raw = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise ApiError(exc.code, f"{exc.code} {_api_message(exc) or exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ApiError(None, f"cannot reach {self.api}: {reason}") from None
        try:
            return (json.loads(raw) if raw else None), link
        except ValueError:
            raise ApiError(None, f"{method} {url}: the answer is not JSON") from None

    def comments(self, number: int) -> list[dict[str, Any]]:
        """Every comment of the issue / pull request, following the pages."""
        first = f"{self.api}/repos/{self.repository}/issues/{number}/comments?per_page=100"
        url: str | None = first
        out: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            if url is None:
                break
            data, link = self.request("GET", url)
            if not isinstance(data, list):
                raise ApiError(None, "listing the comments did not return a list")
            out += [c for c in data if isinstance(c, dict)]
            following = _next_link(link)
            if following is not None and _same_origin(following, self.api):
                url = following
            elif len(data) >= 100 and not link:
                url = f"{first}&page={page + 1}"
            else:
                url = None
        return out

    def create(self, number: int, body: str) -> Any:
        return self.request("POST", f"/repos/{self.repository}/issues/{number}/comments", {"body": body})[0]

    def update(self, comment_id: int, body: str) -> Any:
        return self.request("PATCH", f"/repos/{self.repository}/issues/comments/{comment_id}", {"body": body})[0]


def _api_message(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        return ""
    return str(data.get("message", "")) if isinstance(data, dict) else ""


def _next_link(header: str) -> str | None:
    for part in header.split(","):
        m = re.match(r'\s*<([^>]*)>\s*;(.*)', part)
        if m and re.search(r'rel="?next"?', m.group(2)):
            return m.group(1)
    return None


def _same_origin(url: str, api: str) -> bool:
    a, b = urllib.parse.urlsplit(url), urllib.parse.urlsplit(api)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def comment_body(outcome: Outcome, base: Base, fail_on: str, run_url: str | None) -> tuple[str, bool]:
    """(body, whether there are changes to show)."""
    head = marker(outcome.schema) + "\n"
    where = f"the [job summary]({run_url})" if run_url else "the job summary"
    if outcome.report is None:  # new
        return head + (f"`{outcome.schema}` is not in the base revision `{base.label}`: a new schema, nothing "
                       "to compare.\n"), False
    if not outcome.report.changes:
        ignored = outcome.report.ignored
        extra = f" ({len(ignored)} ignored by configuration)" if ignored else ""
        return head + f"No API changes in `{outcome.schema}` against `{base.label}`{extra}.\n", False
    run = f" · [workflow run]({run_url})" if run_url else ""
    foot = f"\n<sub>apidiff {__version__} · base `{base.label}`{run}</sub>\n"
    note = f"\n_This comment is cut to GitHub's {COMMENT_LIMIT:,}-character limit: {where} lists every change._\n"
    room = COMMENT_LIMIT - len(head) - len(note) - len(foot) - 64
    text = render(outcome.report, "markdown", fail_on=fail_on, limit=min(room, 65_000))
    full = render(outcome.report, "markdown", fail_on=fail_on, limit=SUMMARY_LIMIT)
    body = head + text + (note if text != full else "")
    if len(body) + len(foot) > COMMENT_LIMIT:
        body = body[:COMMENT_LIMIT - len(note) - len(foot) - 1] + "\n" + note
    return body + foot, True


def find_comment(comments: Sequence[Mapping[str, Any]], schema: str) -> Mapping[str, Any] | None:
    """The first comment that starts with the schema's marker (a quote of it in a reply does not)."""
    mark = marker(schema)
    for c in comments:
        body = c.get("body")
        if isinstance(body, str) and body.lstrip().startswith(mark) and isinstance(c.get("id"), int):
            return c
    return None


def post_comments(outcomes: Sequence[Outcome], pr: PullRequest, base: Base, fail_on: str, token: str,
                  env: Mapping[str, str]) -> None:
    repository = pr.base_repo or env.get("GITHUB_REPOSITORY", "")
    if not token or not repository:
        warn("no pull-request comment was posted: " + ("the token input is empty" if not token
                                                       else "GITHUB_REPOSITORY is not set"))
        return
    server, run_id = env.get("GITHUB_SERVER_URL", "https://github.com"), env.get("GITHUB_RUN_ID", "")
    run_url = f"{server.rstrip('/')}/{env['GITHUB_REPOSITORY']}/actions/runs/{run_id}" \
        if run_id and env.get("GITHUB_REPOSITORY") else None
    github = GitHub(env.get("GITHUB_API_URL") or "https://api.github.com", token, repository)
    try:
        existing = github.comments(pr.number)
        for o in outcomes:
            if o.status == "error":
                continue
            body, changed = comment_body(o, base, fail_on, run_url)
            found = find_comment(existing, o.schema)
            if found is not None:
                github.update(found["id"], body)
                print(f"apidiff: updated the pull-request comment on {o.schema} (#{found['id']})", flush=True)
            elif changed:
                made = github.create(pr.number, body)
                made_id = made.get("id") if isinstance(made, dict) else None
                print(f"apidiff: commented on the pull request about {o.schema} (#{made_id})", flush=True)
    except ApiError as exc:
        why = [f"no pull-request comment was posted: GitHub answered {exc.message}."]
        if exc.status in (401, 403, 404):
            if pr.from_fork:
                why.append(f"This pull request comes from a fork ({pr.head_repo}); GitHub gives workflows of "
                           "pull requests from forks a read-only token, so they cannot comment.")
            why.append("The workflow needs `permissions: pull-requests: write` to comment.")
        why.append("The report is in the job summary and the annotations.")
        warn(" ".join(why))


# --- the step -------------------------------------------------------------------------------

def run(env: Mapping[str, str]) -> int:
    workspace = env.get("GITHUB_WORKSPACE", "")
    if workspace:
        try:
            os.chdir(workspace)
        except OSError as exc:
            raise InputError(f"GITHUB_WORKSPACE {workspace}: {exc.strerror}") from None
    inputs = read_inputs(env)
    pr = read_pull_request(env)
    config = load_config(Path(inputs.config) if inputs.config else None, search=True)
    fail_on = inputs.fail_on or config.fail_on
    top = repository_top()
    schemas = expand(inputs.schemas, top)
    if inputs.base:
        base = resolve_base(inputs.base)
    elif pr is not None and pr.base_sha:
        base = resolve_base(pr.base_sha, pr.base_ref)
    else:
        event = env.get("GITHUB_EVENT_NAME") or "unknown"
        raise InputError(f"no base revision: on a {event} event set the base input (a branch such as origin/main, "
                         "a tag or a commit); it defaults to the pull request's base commit only on pull_request "
                         "and pull_request_target events")

    usage = load_usage(inputs.usage) if inputs.usage else None
    outcomes = []
    for schema, rel in schemas:
        print(f"apidiff: {schema} against {base.label}", flush=True)
        outcome = compare_one(schema, rel, base, config, inputs.mode, usage)
        outcomes.append(outcome)
        if outcome.report is not None:
            sys.stdout.write(render(for_annotations(outcome, base, top), "github"))
            sys.stdout.flush()
        elif outcome.status == "new":
            print(command("notice", f"{schema} is not in the base revision {base.label}: a new schema, "
                                    "nothing to compare", title="apidiff"), flush=True)
        else:
            fail_line(outcome.error or "cannot compare")

    if env.get("GITHUB_STEP_SUMMARY"):
        path = env["GITHUB_STEP_SUMMARY"]
        append_summary(path, summary_markdown(outcomes, base, fail_on, summary_room(path)))
    totals = {"breaking": 0, "dangerous": 0, "safe": 0}
    for o in outcomes:
        if o.report is not None:
            for key in totals:
                totals[key] += o.report.summary[key]
    report_json = write_report_json(outcomes, base, env)
    if env.get("GITHUB_OUTPUT"):
        values = {**{k: str(v) for k, v in totals.items()}, "report-json": report_json}
        assert tuple(values) == OUTPUTS
        write_outputs(env["GITHUB_OUTPUT"], values)
    if pr is not None and inputs.comment:
        post_comments(outcomes, pr, base, fail_on, inputs.token, env)

    if any(o.status == "error" for o in outcomes):
        return 2
    failing = [o.schema for o in outcomes if o.report is not None and o.report.fails(fail_on)]
    if failing:
        print(f"apidiff: {', '.join(failing)}: changes reach fail-on {fail_on}", flush=True)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The step's entry point; ``argv`` is not used (inputs come from the environment)."""
    env = dict(os.environ)
    try:
        return run(env)
    except (InputError, ApidiffError) as exc:
        fail_line(str(exc))
        return 2
    except OSError as exc:  # writing the summary, the outputs or the JSON report
        fail_line(f"{exc.filename or 'output'}: {exc.strerror or exc}")
        return 2
    except Exception as exc:  # a bug: still one line; the traceback with the runner's debug logging
        if env.get("RUNNER_DEBUG") == "1":
            traceback.print_exc()
        detail = " ".join(str(exc).split())[:300]
        fail_line(f"internal error (please report it){': ' + detail if detail else ''}")
        return 2


if __name__ == "__main__":
    sys.exit(main())

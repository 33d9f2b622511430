"""End to end: ``python -m apidiff.ci.github_action`` run the way the runner runs action.yml's step,
in a real git repository, against a local stand-in for the GitHub API."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from apidiff import Report, compare
from apidiff.ci import github_action
from tests.ci.fake_github import FakeGitHub
from tests.ci.gitrepo import PET_V1, TYPES_V1, clean_env, commit, git, make_repo, write

OPENAPI = "api/openapi.yaml"
GRAPHQL = "schema"
MARKER_OPENAPI = "<!-- apidiff:schema=api/openapi.yaml -->"
MARKER_GRAPHQL = "<!-- apidiff:schema=schema -->"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub().start()
    yield fake
    fake.stop()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    return make_repo(tmp_path / "repo")


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` and ``name<<DELIMITER`` … ``DELIMITER``."""
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            else:
                raise AssertionError(f"unterminated {name}")
            out[name] = "\n".join(value)
        elif line:
            name, value_ = line.split("=", 1)
            out[name] = value_
    return out


def run_action(repo: Path, tmp: Path, github: FakeGitHub | None, *, base_sha: str, inputs: dict[str, str] | None = None,
               event: str = "pull_request", head_repo: str = "acme/pets", run_id: str = "1",
               api_url: str | None = None) -> Run:
    tmp.mkdir(parents=True, exist_ok=True)
    payload = {"action": "synchronize", "number": 7, "pull_request": {
        "number": 7,
        "base": {"sha": base_sha, "ref": "main", "repo": {"full_name": "acme/pets"}},
        "head": {"sha": git(repo, "rev-parse", "HEAD"), "ref": "feature", "repo": {"full_name": head_repo}},
    }}
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(payload))
    output, summary = tmp / "output.txt", tmp / "summary.md"
    output.write_text("")
    summary.write_text("")
    (tmp / "runner-temp").mkdir(exist_ok=True)
    values = {"SCHEMA": f"{OPENAPI}\n{GRAPHQL}", "BASE": "", "FAIL_ON": "", "MODE": "", "CONFIG": "",
              "COMMENT": "true", "TOKEN": "ghs_secret", **(inputs or {})}
    env = clean_env(
        GITHUB_ACTIONS="true", GITHUB_EVENT_NAME=event, GITHUB_EVENT_PATH=str(event_path),
        GITHUB_REPOSITORY="acme/pets", GITHUB_API_URL=api_url or (github.url if github else "http://127.0.0.1:9"),
        GITHUB_SERVER_URL="https://github.com", GITHUB_RUN_ID=run_id, GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary), GITHUB_WORKSPACE=str(repo), RUNNER_TEMP=str(tmp / "runner-temp"),
        **{f"INPUT_{k}": v for k, v in values.items()},
    )
    done = subprocess.run([sys.executable, "-m", "apidiff.ci.github_action"], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr, parse_outputs(output.read_text()), summary.read_text())


def bodies(github: FakeGitHub) -> dict[str, dict[str, Any]]:
    """The apidiff comments by marker."""
    out = {}
    for comment in github.comments.values():
        for mark in (MARKER_OPENAPI, MARKER_GRAPHQL):
            if comment["body"].startswith(mark):
                out[mark] = comment
    return out


def test_first_run_comments_once_per_schema_and_fails_on_breaking(repo: tuple[Path, str, str], tmp_path: Path,
                                                                  github: FakeGitHub) -> None:
    folder, base, _ = repo
    run = run_action(folder, tmp_path / "run", github, base_sha=base)
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stderr

    posts = github.of("POST")
    assert len(posts) == 2
    assert {p.path for p in posts} == {"/repos/acme/pets/issues/7/comments"}
    for request in github.requests:
        assert request.headers["authorization"] == "Bearer ghs_secret"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
    found = bodies(github)
    assert set(found) == {MARKER_OPENAPI, MARKER_GRAPHQL}
    assert "type of pet.id changed from string to integer" in found[MARKER_OPENAPI]["body"]
    assert "`type-changed`" in found[MARKER_OPENAPI]["body"]
    assert "field Pet.nickname was removed" in found[MARKER_GRAPHQL]["body"]
    assert all(len(c["body"]) <= 65_536 for c in github.comments.values())

    # outputs: totals over both schemas (OpenAPI 1/1/0, GraphQL 1/0/2) and the JSON file
    assert {k: run.outputs[k] for k in ("breaking", "dangerous", "safe")} == {"breaking": "2", "dangerous": "1",
                                                                              "safe": "2"}
    report_json = Path(run.outputs["report-json"])
    assert report_json.is_file() and report_json.parent == tmp_path / "run" / "runner-temp"
    items = json.loads(report_json.read_text())
    assert [(i["schema"], i["base"], i["status"]) for i in items] == [(OPENAPI, base, "compared"),
                                                                      (GRAPHQL, base, "compared")]
    for item in items:
        assert item["report"]["schema_version"] == 1
        report = Report.from_json(json.dumps(item["report"]))
        assert report.to_dict() == item["report"]
    assert items[0]["report"]["old"]["source"] == f"{base[:12]}:{OPENAPI}"
    assert items[0]["report"]["new"]["source"] == OPENAPI
    assert {c["id"] for c in items[0]["report"]["changes"]} == {"type-changed", "property-removed-without-deprecation"}

    # the job summary: one Markdown report per schema
    assert run.summary.count("## apidiff: ") == 2
    assert "type of pet.id changed from string to integer" in run.summary
    assert "field Pet.nickname was removed without deprecation" in run.summary

    # annotations point at working-tree files; removals (known only in the base) without a line
    lines = run.stdout.splitlines()
    assert "::error file=api/schemas/pet.yaml,line=5,col=5,title=type-changed::type of pet.id changed from string " \
           "to integer (backward breaking, forward breaking)" in lines
    assert any(line.startswith("::warning file=api/schemas/pet.yaml,title=property-removed-without-deprecation::")
               for line in lines)
    assert any(line.startswith("::error file=schema/types.graphql,title=field-removed-without-deprecation::")
               for line in lines)
    assert "::notice file=schema/types.graphql,line=4,col=3,title=field-added::field Pet.age was added " \
           "(backward safe, forward breaking)" in lines
    annotated = [line for line in lines if re.match(r"::(error|warning|notice) file=", line)]
    assert annotated and not any(base in line.split("::")[1] for line in annotated)
    assert "ghs_secret" not in run.stdout + run.stderr


def test_second_run_updates_the_same_comments(repo: tuple[Path, str, str], tmp_path: Path,
                                              github: FakeGitHub) -> None:
    folder, base, _ = repo
    for n in range(120):  # the apidiff comments land on the second page of the listing
        github.add(7, f"comment {n}")
    github.add(8, f"{MARKER_OPENAPI}\nanother pull request's comment")
    github.add(7, f"> {MARKER_OPENAPI}\n> a quote of the comment is not the comment")
    first = run_action(folder, tmp_path / "one", github, base_sha=base, run_id="1")
    assert first.code == 1
    ids = {mark: c["id"] for mark, c in bodies(github).items() if c["issue"] == 7}
    assert len(ids) == 2
    github.requests.clear()

    second = run_action(folder, tmp_path / "two", github, base_sha=base, run_id="2")
    assert second.code == 1
    assert github.of("POST") == []
    patched = sorted(int(r.path.rsplit("/", 1)[1]) for r in github.of("PATCH"))
    assert patched == sorted(ids.values())
    listed_pages = [r.query.get("page", ["1"])[0] for r in github.of("GET")]
    assert listed_pages == ["1", "2"]
    assert len([c for c in github.comments.values() if c["issue"] == 7]) == 121 + 2


def test_no_changes_any_more_replaces_the_comment(repo: tuple[Path, str, str], tmp_path: Path,
                                                  github: FakeGitHub) -> None:
    folder, base, head = repo
    assert run_action(folder, tmp_path / "one", github, base_sha=base).code == 1
    ids = {mark: c["id"] for mark, c in bodies(github).items()}
    github.requests.clear()

    # the pull request's base moved to the head commit: the working tree equals the base
    run = run_action(folder, tmp_path / "two", github, base_sha=head)
    assert run.code == 0, run.stdout + run.stderr
    assert github.of("POST") == []
    assert len(github.of("PATCH")) == 2
    found = bodies(github)
    assert {mark: c["id"] for mark, c in found.items()} == ids
    assert f"No API changes in `{OPENAPI}` against `main ({head[:12]})`" in found[MARKER_OPENAPI]["body"]
    assert f"No API changes in `{GRAPHQL}` against" in found[MARKER_GRAPHQL]["body"]
    assert run.outputs["breaking"] == run.outputs["dangerous"] == run.outputs["safe"] == "0"


def test_no_changes_and_no_comment_posts_nothing(repo: tuple[Path, str, str], tmp_path: Path,
                                                 github: FakeGitHub) -> None:
    folder, _, head = repo
    run = run_action(folder, tmp_path / "run", github, base_sha=head)
    assert run.code == 0
    assert [r.method for r in github.requests] == ["GET"]
    assert github.comments == {}
    assert run.summary.count("no changes") == 2


def test_forbidden_comment_is_a_warning_not_a_failure(repo: tuple[Path, str, str], tmp_path: Path,
                                                      github: FakeGitHub) -> None:
    folder, base, _ = repo
    github.fail["POST"] = 403
    run = run_action(folder, tmp_path / "run", github, base_sha=base)
    assert run.code == 1  # the diff's verdict, not the comment's
    warnings = [line for line in run.stdout.splitlines() if line.startswith("::warning title=apidiff::")]
    assert len(warnings) == 1
    assert "no pull-request comment was posted" in warnings[0]
    assert "403" in warnings[0] and "pull-requests: write" in warnings[0]
    assert "fork" not in warnings[0]
    assert run.outputs["breaking"] == "2" and Path(run.outputs["report-json"]).is_file()
    assert run.summary.count("## apidiff: ") == 2
    assert "Traceback" not in run.stderr


def test_fork_pull_request_warning_names_the_fork(repo: tuple[Path, str, str], tmp_path: Path,
                                                  github: FakeGitHub) -> None:
    folder, base, _ = repo
    github.fail["POST"] = 403
    run = run_action(folder, tmp_path / "run", github, base_sha=base, head_repo="contributor/pets")
    assert run.code == 1
    warning = next(line for line in run.stdout.splitlines() if line.startswith("::warning title=apidiff::"))
    assert "fork (contributor/pets)" in warning and "read-only token" in warning
    assert run.summary and run.outputs["breaking"] == "2"


def test_unreachable_api_is_a_warning(repo: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, base, _ = repo
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = run_action(folder, tmp_path / "run", None, base_sha=base, api_url=f"http://127.0.0.1:{port}")
    assert run.code == 1
    assert any(line.startswith("::warning title=apidiff::") and "cannot reach" in line
               for line in run.stdout.splitlines())
    assert run.outputs["breaking"] == "2"


def test_pull_request_target_comments_too(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    run = run_action(folder, tmp_path / "run", github, base_sha=base, event="pull_request_target",
                     head_repo="contributor/pets")
    assert run.code == 1
    assert len(github.of("POST")) == 2


def test_comment_false_and_fail_on_never(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    run = run_action(folder, tmp_path / "run", github, base_sha=base,
                     inputs={"COMMENT": "false", "FAIL_ON": "never"})
    assert run.code == 0
    assert github.requests == []
    assert run.outputs["breaking"] == "2"


def test_configuration_supplies_fail_on_and_mode(repo: tuple[Path, str, str], tmp_path: Path,
                                                 github: FakeGitHub) -> None:
    folder, base, _ = repo
    # only the GraphQL folder (backward: 1 breaking, 2 safe); the file asks for forward (the two
    # additions break a rollback) and fail_on never; the inputs win over the file
    (folder / ".apidiff.toml").write_text('mode = "forward"\nfail_on = "never"\n')
    run = run_action(folder, tmp_path / "run", github, base_sha=base, inputs={"SCHEMA": "schema", "COMMENT": "no"})
    assert run.code == 0
    assert run.outputs["breaking"] == "2"  # forward: Pet.age and the scalar Int added
    run = run_action(folder, tmp_path / "run2", github, base_sha=base,
                     inputs={"SCHEMA": "schema", "COMMENT": "no", "FAIL_ON": "breaking", "MODE": "backward"})
    assert run.code == 1 and run.outputs["breaking"] == "1"


def test_globs_and_a_schema_new_in_the_pull_request(repo: tuple[Path, str, str], tmp_path: Path,
                                                    github: FakeGitHub) -> None:
    folder, base, _ = repo
    write(folder, {"api/extra.yaml": "openapi: 3.0.3\ninfo: {title: Extra, version: '1'}\npaths: {}\n"})
    run = run_action(folder, tmp_path / "run", github, base_sha=base, inputs={"SCHEMA": "api/*.yaml"})
    assert run.code == 1
    items = json.loads(Path(run.outputs["report-json"]).read_text())
    assert [(i["schema"], i["status"]) for i in items] == [("api/extra.yaml", "new"), (OPENAPI, "compared")]
    assert items[0]["report"] is None
    assert "`api/extra.yaml` is new" in run.summary
    assert any(line.startswith("::notice title=apidiff::api/extra.yaml is not in the base revision")
               for line in run.stdout.splitlines())
    # a new schema gets no comment of its own
    assert [p.body["body"].splitlines()[0] for p in github.of("POST")] == [MARKER_OPENAPI]


def test_shallow_checkout_fetches_the_base_once(repo: tuple[Path, str, str], tmp_path: Path,
                                                github: FakeGitHub) -> None:
    origin, base, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{origin}", str(clone)], check=True,
                   env=clean_env(), capture_output=True, timeout=60)
    assert subprocess.run(["git", "cat-file", "-e", base], cwd=clone, env=clean_env()).returncode != 0
    run = run_action(clone, tmp_path / "run", github, base_sha=base, inputs={"COMMENT": "false"})
    assert run.code == 1, run.stderr
    assert f"fetching it once: git fetch --no-tags --depth=1 origin {base}" in run.stdout
    assert run.outputs["breaking"] == "2"


def one_error_line(run: Run) -> str:
    assert run.code == 2
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("apidiff: error: "), run.stderr
    assert any(line.startswith("::error title=apidiff::") for line in run.stdout.splitlines())
    return lines[0]


def test_no_schema_matches(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    line = one_error_line(run_action(folder, tmp_path / "run", github, base_sha=base,
                                     inputs={"SCHEMA": "api/openapi.yaml specs/*.json"}))
    assert "'specs/*.json' matches no file or folder" in line
    assert github.requests == []


def test_unknown_base(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, _, _ = repo
    run = run_action(folder, tmp_path / "run", github, base_sha="0" * 40)
    line = one_error_line(run)
    assert f"the base revision {'0' * 40} is not in this checkout" in line
    assert "fetch-depth: 0" in line
    assert "fetching it once" in run.stdout


def test_unknown_base_input(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    line = one_error_line(run_action(folder, tmp_path / "run", github, base_sha=base,
                                     inputs={"BASE": "origin/does-not-exist"}))
    assert "origin/does-not-exist" in line


def test_push_event_needs_a_base(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    line = one_error_line(run_action(folder, tmp_path / "run", github, base_sha=base, event="push"))
    assert "set the base input" in line
    run = run_action(folder, tmp_path / "run2", github, base_sha=base, event="push", inputs={"BASE": base})
    assert run.code == 1 and github.requests == []  # no pull request: no comment


def test_bad_inputs(repo: tuple[Path, str, str], tmp_path: Path, github: FakeGitHub) -> None:
    folder, base, _ = repo
    assert "fail-on: 'sometimes'" in one_error_line(run_action(folder, tmp_path / "a", github, base_sha=base,
                                                               inputs={"FAIL_ON": "sometimes"}))
    assert "comment: 'maybe'" in one_error_line(run_action(folder, tmp_path / "b", github, base_sha=base,
                                                           inputs={"COMMENT": "maybe"}))
    assert "outside the git repository" in one_error_line(run_action(folder, tmp_path / "c", github, base_sha=base,
                                                                     inputs={"SCHEMA": str(tmp_path)}))


def test_a_schema_that_cannot_be_read_at_the_base(repo: tuple[Path, str, str], tmp_path: Path,
                                                  github: FakeGitHub) -> None:
    folder, _, _ = repo
    broken = commit(folder, {"api/schemas/pet.yaml": "type: [unclosed\n"}, "broken")
    commit(folder, {"api/schemas/pet.yaml": PET_V1, "schema/types.graphql": TYPES_V1}, "fixed")
    run = run_action(folder, tmp_path / "run", github, base_sha=broken)
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.count("apidiff: error: ") == 1 and f"{broken[:12]}:api/schemas/pet.yaml" in run.stderr
    # the other schema is still compared, summarized and commented on; no comment for the failed one
    assert "could not be compared" in run.summary
    items = json.loads(Path(run.outputs["report-json"]).read_text())
    assert [i["status"] for i in items] == ["error", "compared"]


# --- the limits, without a repository ---------------------------------------------------------

def big_report() -> Report:
    fields = "\n".join(f"  field_{n:04d}_with_a_rather_long_name_for_the_table: String" for n in range(2500))
    return compare(f"type Query {{\n  keep: String\n{fields}\n}}\n", "type Query {\n  keep: String\n}\n")


def test_a_long_comment_is_cut_to_githubs_limit_with_a_note() -> None:
    outcome = github_action.Outcome("schema.graphql", "schema.graphql", "compared", report=big_report())
    base = github_action.Base("a" * 40, "aaaaaaaaaaaa", "main (aaaaaaaaaaaa)")
    body, changed = github_action.comment_body(outcome, base, "breaking", "https://github.com/acme/pets/actions/runs/9")
    assert changed
    assert len(body) <= 65_536
    assert body.startswith("<!-- apidiff:schema=schema.graphql -->\n")
    assert "cut to GitHub's 65,536-character limit: the [job summary](https://github.com/acme/pets/actions/runs/9)" \
           " lists every change" in body
    # the 2500 removals are one group; the job summary has room to name every one of them
    summary = github_action.summary_markdown([outcome], base, "breaking")
    assert summary.count("| `field-removed") == 1
    assert all(f"field_{n:04d}_with_a_rather_long_name_for_the_table" in summary for n in range(2500))
    assert "Query: 2500 fields removed without deprecation" in body and "Cut to fit" not in summary


def test_the_summary_shares_what_is_left_of_the_mib_and_keeps_every_breaking_change() -> None:
    report = compare("type Query { keep: String gone: Int }\n" + "".join(
        f"type T{n:04d} {{ f: String }}\n" for n in range(3000)),
        "type Query { keep: String }\n" + "".join(f"type T{n:04d} {{ f: String g{n}_{'x' * 40}: String }}\n"
                                                  for n in range(3000)))  # 3000 safe groups
    outcome = github_action.Outcome("schema.graphql", "schema.graphql", "compared", report=report)
    base = github_action.Base("a" * 40, "aaaaaaaaaaaa", "main (aaaaaaaaaaaa)")
    summary = github_action.summary_markdown([outcome, outcome], base, "breaking", room=20_000)
    assert len(summary.encode("utf-8")) <= 20_000
    assert summary.count("field Query.gone was removed without deprecation") == 2
    assert summary.count("of 3000 safe groups") == 2 and "not shown" in summary


def test_the_summary_is_cut_to_one_mib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "summary.md"
    path.write_text("x" * (1024 * 1024 - 5000))  # an earlier step of the same job wrote most of it
    github_action.append_summary(str(path), "| ✖ a row |\n" * 2000)
    text = path.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 1024 * 1024
    assert text.rstrip().endswith("holds every change._")
    assert "| ✖ a row |\n" in text
    path.write_text("x" * (1024 * 1024))
    github_action.append_summary(str(path), "more")
    assert path.stat().st_size == 1024 * 1024
    assert "the job summary is full" in capsys.readouterr().out


def test_outputs_survive_any_value(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=1\n")
    github_action.write_outputs(str(path), {"breaking": "3", "report-json": "/tmp/a b/x=y\nz.json"})
    assert parse_outputs(path.read_text()) == {"earlier": "1", "breaking": "3", "report-json": "/tmp/a b/x=y\nz.json"}


def test_the_marker_cannot_be_closed_by_a_file_name() -> None:
    assert github_action.marker("a-->b") == "<!-- apidiff:schema=a-&#45;>b -->"
    assert github_action.marker("a-->b").count("-->") == 1


def test_usage_adds_consumer_impact_to_the_comment(repo: tuple[Path, str, str], tmp_path: Path,
                                                    github: FakeGitHub) -> None:
    folder, base, _ = repo
    clients = folder / "clients"
    (clients / "app").mkdir(parents=True)
    (clients / "app" / "pet.graphql").write_text("query PetName { pet(id: 1) { name nickname } }\n")
    (clients / "site").mkdir()
    (clients / "site" / "pet.graphql").write_text("query PetId { pet(id: 1) { id } }\n")
    run = run_action(folder, tmp_path / "run", github, base_sha=base,
                     inputs={"SCHEMA": GRAPHQL, "USAGE": "clients/**/*.graphql"})
    assert run.code == 1, run.stderr
    body = bodies(github)[MARKER_GRAPHQL]["body"]
    assert "**Consumer impact:** 1 of 2 operations affected (app 1 of 1, site 0 of 1)" in body
    assert "PetName" in body and "PetId" not in body
    report = json.loads(Path(run.outputs["report-json"]).read_text())[0]["report"]
    assert [(i["consumer"], i["operation"]) for i in report["impact"]] == [("app", "PetName")]

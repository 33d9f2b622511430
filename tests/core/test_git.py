"""Schemas read from git revisions: ``git:REF:path``, ``REF:path``, ``--base REF PATH…`` and ``--staged``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apidiff import GitError, GitPath, SourceError, compare, load
from apidiff.core.errors import RefError

ROOT_V1 = """openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "./schemas/pet.yaml#/Pet"}
"""
PET_V1 = """Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
    tag: {type: string}
"""
PET_V2 = PET_V1.replace("    tag: {type: string}\n", "")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two commits: v1 (tag v1) and v2 (HEAD) of a two-file OpenAPI spec and a GraphQL folder;
    the working tree then holds a third, uncommitted state."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, {"api/openapi.yaml": ROOT_V1, "api/schemas/pet.yaml": PET_V1,
                 "schema/query.graphql": "type Query {\n  book: Book\n  author: String\n}\n",
                 "schema/book.graphql": "type Book {\n  title: String\n}\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    write(repo, {"api/schemas/pet.yaml": PET_V2,
                 "schema/query.graphql": "type Query {\n  book: Book\n}\n",
                 "schema/extra.graphql": "extend type Book {\n  isbn: String\n}\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")
    write(repo, {"api/schemas/pet.yaml": PET_V2.replace("name: {type: string}", "name: {type: integer}")})
    monkeypatch.chdir(repo)
    return repo


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apidiff.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def test_multi_file_spec_at_two_revisions(repo: Path) -> None:
    report = compare("git:v1:api/openapi.yaml", "git:HEAD:api/openapi.yaml")
    [change] = report.changes
    assert change.id == "property-removed-without-deprecation" and change.subject == "Pet.tag"
    assert change.old_location is not None
    assert (change.old_location.file, change.old_location.line) == ("v1:api/schemas/pet.yaml", 6)
    assert report.old.source == "v1:api/openapi.yaml"


def test_the_working_tree_is_neither_read_nor_touched(repo: Path) -> None:
    before = git(repo, "status", "--porcelain")
    # HEAD against HEAD is empty although the working tree differs from HEAD
    assert compare("git:HEAD:api/openapi.yaml", "HEAD:api/openapi.yaml").changes == ()
    working = compare("HEAD:api/openapi.yaml", "api/openapi.yaml")
    assert [c.id for c in working.changes] == ["type-changed"]
    assert git(repo, "status", "--porcelain") == before
    assert (repo / "api/schemas/pet.yaml").read_text() != PET_V2


def test_graphql_folder_at_a_revision_reads_only_that_revisions_files(repo: Path) -> None:
    api = load("v1:schema")
    assert set(api.types["Book"].fields) == {"title"} and set(api.types["Query"].fields) == {"book", "author"}
    report = compare("v1:schema", "schema")
    assert {(c.id, c.subject) for c in report.changes} == {("field-removed-without-deprecation", "Query.author"),
                                                           ("field-added", "Book.isbn")}
    removed = next(c for c in report.changes if c.subject == "Query.author")
    assert removed.old_location is not None and removed.old_location.file == "v1:schema/query.graphql"


def test_paths_follow_gits_rule(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "api")
    # REF:path is from the repository's top; REF:./path from the working directory
    assert load("v1:api/openapi.yaml").operations == load("git:v1:./openapi.yaml").operations
    with pytest.raises(SourceError, match=r"openapi\.yaml is not in revision v1"):
        load("v1:openapi.yaml")


def test_the_cli_diffs_a_revision_with_the_working_tree(repo: Path) -> None:
    done = run("diff", "v1:api/openapi.yaml", "api/openapi.yaml", "-f", "json")
    assert done.returncode == 1, done.stderr
    ids = sorted(c["id"] for c in json.loads(done.stdout)["changes"])
    assert ids == ["property-removed-without-deprecation", "type-changed"]


def test_base_compares_each_path(repo: Path) -> None:
    done = run("diff", "--base", "v1", "api/openapi.yaml", "schema", "-f", "json")
    assert done.returncode == 1, done.stderr
    reports = json.loads(done.stdout)
    assert [(r["schema"], r["base"], r["report"]["old"]["source"]) for r in reports] == [
        ("api/openapi.yaml", "v1", "v1:api/openapi.yaml"), ("schema", "v1", "v1:schema")]
    assert reports[1]["report"]["summary"] == {"breaking": 1, "dangerous": 0, "safe": 1}
    one = run("diff", "--base", "HEAD", "schema", "-f", "json")
    assert one.returncode == 0 and json.loads(one.stdout)["summary"]["breaking"] == 0  # one path: one report


def test_base_from_a_subfolder_and_a_new_schema(repo: Path) -> None:
    write(repo, {"api/new.yaml": ROOT_V1})
    done = run("diff", "--base", "HEAD", "openapi.yaml", "new.yaml", cwd=repo / "api")
    assert done.returncode == 2 or done.returncode in (0, 1), done.stderr
    assert "new.yaml is not in HEAD: a new schema" in done.stderr
    assert "HEAD:api/openapi.yaml → openapi.yaml" in done.stdout


def test_staged_compares_the_index_not_the_working_tree(repo: Path) -> None:
    # the working tree has an unstaged breaking change (name: integer); nothing is staged yet
    assert run("diff", "--base", "HEAD", "--staged", "api/openapi.yaml").returncode == 0
    git(repo, "add", "api/schemas/pet.yaml")
    done = run("diff", "--base", "HEAD", "--staged", "api/openapi.yaml")
    assert done.returncode == 1 and "type-changed" in done.stdout
    assert "api/schemas/pet.yaml:5:12" in done.stdout  # a staged file is named by its path


@pytest.mark.parametrize(("args", "message"), [
    (["diff", "git:nope:api/openapi.yaml", "api/openapi.yaml"], "nope:api/openapi.yaml: unknown revision 'nope'"),
    (["diff", "git:HEAD:api/missing.yaml", "api/openapi.yaml"], "api/missing.yaml is not in revision HEAD"),
    (["diff", "nope:api/openapi.yaml", "api/openapi.yaml"], "no such file or folder; as REF:path: unknown revision"),
    (["diff", "git:HEAD", "api/openapi.yaml"], "expected git:REF:path"),
    (["diff", "--base", "nope", "api/openapi.yaml"], "--base nope: unknown revision 'nope'"),
    (["diff", "--staged", "a", "b"], "--staged needs --base REF"),
    (["diff", "--base", "HEAD"], "--base REF needs at least one PATH"),
])
def test_errors_are_one_line_and_exit_2(repo: Path, args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "a.graphql").write_text("type Query { a: Int }\n")
    done = run("diff", "git:HEAD:a.graphql", "a.graphql", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("apidiff: error: HEAD:a.graphql: not a git repository")


def test_refs_stay_inside_the_documents_folder_at_a_revision(repo: Path) -> None:
    write(repo, {"secret.yaml": "Pet: {type: object}\n",
                 "api/openapi.yaml": ROOT_V1.replace("./schemas/pet.yaml", "../secret.yaml")})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "escape")
    with pytest.raises(RefError, match="points outside the root document's folder"):
        load("git:HEAD:api/openapi.yaml")


def test_symbolic_links_in_a_revision_are_refused(repo: Path) -> None:
    (repo / "link.yaml").symlink_to("api/openapi.yaml")
    git(repo, "add", "link.yaml")
    git(repo, "commit", "-qm", "link")
    with pytest.raises(GitError, match="symbolic link"):
        load("git:HEAD:link.yaml")


def test_gitpath_objects_and_index(repo: Path) -> None:
    assert load(GitPath("v1", "api/openapi.yaml")).source == "v1:api/openapi.yaml"
    (repo / "untracked.graphql").write_text("type Query { a: Int }\n")
    with pytest.raises(GitError, match=r"untracked\.graphql is not in the index"):
        load(GitPath("", "untracked.graphql"))


def test_github_annotations_point_removals_at_the_working_tree_file(repo: Path) -> None:
    done = run("diff", "v1:schema", "schema", "-f", "github")
    removed = next(line for line in done.stdout.splitlines() if "title=field-removed" in line)
    assert removed.startswith("::error file=schema/query.graphql,title=field-removed-without-deprecation::")
    added = next(line for line in done.stdout.splitlines() if "title=field-added" in line)
    assert added.startswith("::notice file=schema/extra.graphql,line=2,col=3,")

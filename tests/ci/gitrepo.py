"""Temporary git repositories holding a multi-file OpenAPI spec and a folder of GraphQL files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

OPENAPI_ROOT = """\
openapi: 3.0.3
info:
  title: Pets
  version: "1.0"
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: A pet.
          content:
            application/json:
              schema:
                $ref: "./schemas/pet.yaml"
"""

PET_V1 = """\
type: object
required: [id, name]
properties:
  id:
    type: string
  name:
    type: string
  tag:
    type: string
"""

# breaking: pet.id string -> integer (line 5); dangerous: pet.tag removed (only in the base revision)
PET_V2 = """\
type: object
required: [id, name]
properties:
  id:
    type: integer
  name:
    type: string
"""

# safe: an optional property added to a response
PET_SAFE = PET_V1 + """\
  color:
    type: string
"""

QUERY_GRAPHQL = """\
type Query {
  pet(id: ID!): Pet
}
"""

TYPES_V1 = """\
type Pet {
  id: ID!
  name: String!
  nickname: String
}
"""

# breaking: Pet.nickname removed (only in the base revision); safe: Pet.age added (line 4)
TYPES_V2 = """\
type Pet {
  id: ID!
  name: String!
  age: Int
}
"""

V1 = {"api/openapi.yaml": OPENAPI_ROOT, "api/schemas/pet.yaml": PET_V1,
      "schema/query.graphql": QUERY_GRAPHQL, "schema/types.graphql": TYPES_V1}
V2 = {"api/schemas/pet.yaml": PET_V2, "schema/types.graphql": TYPES_V2}


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without the CI runner's variables (tests may run inside a runner)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_", "GIT_")) and k.lower() not in ("http_proxy",
                                                                                               "https_proxy")}
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com", GIT_COMMITTER_NAME="Test",
               GIT_COMMITTER_EMAIL="test@example.com")
    env.update(extra)
    return env


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=repo,
                          env=clean_env(), capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def make_repo(path: Path) -> tuple[Path, str, str]:
    """A repository with two commits (V1, then the changes of V2); (folder, base sha, head sha)."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    base = commit(path, V1, "v1")
    head = commit(path, V2, "v2")
    return path, base, head

"""The pre-commit hook, run as pre-commit runs it: ``entry`` + ``args`` from the repository's top
folder, with the hook environment's ``bin`` first on PATH."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci.gitrepo import PET_SAFE, PET_V2, TYPES_V2, V1, clean_env, commit, git, write
from tests.conftest import ROOT

ARGS = ["api/openapi.yaml", "schema/"]


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = [h for h in hooks if h["id"] == "apidiff"]
    assert len(found) == 1
    return found[0]


def run_hook(repo: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    spec = hook()
    bin_dir = Path(sys.executable).parent  # where pre-commit's python environment puts `apidiff`
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([*shlex.split(spec["entry"]), *spec.get("args", []), *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    commit(folder, V1, "v1")
    return folder


def test_the_hook_declaration() -> None:
    spec = hook()
    assert shlex.split(spec["entry"]) == ["apidiff", "diff", "--staged", "--base", "HEAD"]
    assert spec["language"] == "python"
    assert spec["pass_filenames"] is False
    assert re.search(spec["files"], "api/openapi.yaml") and re.search(spec["files"], "schema/types.graphql")
    assert not re.search(spec["files"], "README.md")
    doc = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    assert "id: apidiff" in doc and spec["entry"] in doc


def test_a_staged_breaking_change_stops_the_commit(repo: Path) -> None:
    write(repo, {"api/schemas/pet.yaml": PET_V2})
    git(repo, "add", "-A")
    done = run_hook(repo, ARGS)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "type of pet.id changed from string to integer" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_staged_breaking_change_in_a_graphql_folder(repo: Path) -> None:
    write(repo, {"schema/types.graphql": TYPES_V2})
    git(repo, "add", "-A")
    done = run_hook(repo, ARGS)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Pet.nickname" in done.stdout


def test_a_safe_change_passes(repo: Path) -> None:
    write(repo, {"api/schemas/pet.yaml": PET_SAFE})
    git(repo, "add", "-A")
    done = run_hook(repo, ARGS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_index_is_compared_not_the_working_tree(repo: Path) -> None:
    write(repo, {"api/schemas/pet.yaml": PET_SAFE})
    git(repo, "add", "-A")
    write(repo, {"api/schemas/pet.yaml": PET_V2})  # not staged: not part of this commit
    done = run_hook(repo, ARGS)
    assert done.returncode == 0, done.stdout + done.stderr
    git(repo, "add", "-A")
    assert run_hook(repo, ARGS).returncode == 1


def test_options_in_args(repo: Path) -> None:
    write(repo, {"api/schemas/pet.yaml": PET_V2})
    git(repo, "add", "-A")
    done = run_hook(repo, ["--fail-on", "never", *ARGS])
    assert done.returncode == 0, done.stdout + done.stderr
